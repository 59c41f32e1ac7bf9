// MotCua on Azure: a storage account (tables, blobs, queues), a Linux function app running the
// custom handler, and an Event Grid subscription that sends the documents container's
// BlobCreated events to the DocumentBlobCreated function. With queueTransport 'ServiceBus', a
// Service Bus namespace holds the processing queues instead (publish with --service-bus).
@description('Short name used in resource names (lower-case letters and digits).')
param name string = 'motcua'
param location string = resourceGroup().location
@description('Issuer (authority) whose tokens the API accepts.')
param authAuthority string
param authAudience string = 'motcua'
@description('Where citizens reach the app: the QR codes on receipts, results and issued letters lead to its pages (/tra-cuu, /xac-thuc).')
param publicBaseUrl string = 'https://${name}-${uniqueString(resourceGroup().id)}.azurewebsites.net'
@allowed([ 'StorageQueues', 'ServiceBus' ])
param queueTransport string = 'StorageQueues'

var useServiceBus = queueTransport == 'ServiceBus'
// Every queue the functions read or write (Hosting/QueueNames.cs, Documents/Processing/DocumentQueues.cs).
var queueNames = [
  'document-received', 'blob-created', 'dossier-events', 'dossier-notifications', 'push-deliveries'
  'deadline-reminders', 'document-signatures', 'document-text', 'document-index', 'document-outcome'
  'incoming-events', 'incoming-reminders', 'outgoing-events', 'result-seal', 'exchange-outbound'
]

// Every table the app reads or writes (Storage/MotCuaTables.cs). Tables and storage queues are made here, once,
// so the app does not make them at each start (Storage__CreateOnStart is false below).
var tableNames = [
  'dossiers', 'documents', 'counters', 'outbox', 'catalog', 'devicekeys', 'worklist'
  'pages', 'searchindex', 'members', 'devices', 'inbox', 'pushes', 'publicchecks'
]

var storageName = take('${name}${uniqueString(resourceGroup().id)}', 24)

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  sku: { name: 'Standard_ZRS' }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource documents 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: 'documents'
  properties: { publicAccess: 'None' }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for table in tableNames: {
  parent: tableService
  name: table
}]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// Each processing queue and its dead letters ('-poison'), when the queues are storage queues.
resource storageQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queue in concat(queueNames, map(queueNames, q => '${q}-poison')): if (!useServiceBus) {
  parent: queueService
  name: queue
}]

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${name}-plan'
  location: location
  sku: { name: 'Y1', tier: 'Dynamic' }
  kind: 'functionapp'
  properties: { reserved: true }
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = if (useServiceBus) {
  name: '${name}-${uniqueString(resourceGroup().id)}'
  location: location
  sku: { name: 'Standard', tier: 'Standard' }
  properties: { minimumTlsVersion: '1.2' }
}

resource serviceBusQueues 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = [for queue in queueNames: if (useServiceBus) {
  parent: serviceBus
  name: queue
  properties: {
    lockDuration: 'PT1M'
    maxDeliveryCount: 5
    deadLetteringOnMessageExpiration: true
    requiresDuplicateDetection: false
  }
}]

// The app signs in to Service Bus with its managed identity (no shared key): the triggers and the
// app's own client both read ServiceBusConnection__fullyQualifiedNamespace.
var serviceBusSettings = useServiceBus ? [
  { name: 'Queues__Transport', value: 'ServiceBus' }
  { name: 'ServiceBusConnection__fullyQualifiedNamespace', value: '${serviceBus.name}.servicebus.windows.net' }
] : []

// Azure Service Bus Data Sender and Data Receiver (built-in roles).
var serviceBusRoles = [ '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39', '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0' ]

resource serviceBusAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in serviceBusRoles: if (useServiceBus) {
  scope: serviceBus
  name: guid(serviceBus.id, app.id, role)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}]

var storageConnection = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};EndpointSuffix=${environment().suffixes.storage};AccountKey=${storage.listKeys().keys[0].value}'

resource app 'Microsoft.Web/sites@2023-12-01' = {
  name: '${name}-${uniqueString(resourceGroup().id)}'
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: ''
      appSettings: concat([
        { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
        { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'Custom' }
        { name: 'AzureWebJobsStorage', value: storageConnection }
        { name: 'Storage__ConnectionString', value: storageConnection }
        { name: 'Auth__Authority', value: authAuthority }
        { name: 'Auth__Audience', value: authAudience }
        { name: 'Storage__CreateOnStart', value: 'false' }
        { name: 'Results__PublicCheckBaseUrl', value: '${publicBaseUrl}/xac-thuc' }
        { name: 'Forms__PublicLookupUrl', value: '${publicBaseUrl}/tra-cuu' }
        // The platform's front end puts the caller's address last in X-Forwarded-For: the public rate limits count callers, not the front end.
        { name: 'Lookup__ClientAddressHeader', value: 'X-Forwarded-For' }
      ], serviceBusSettings)
    }
  }
}

resource topic 'Microsoft.EventGrid/systemTopics@2023-12-15-preview' = {
  name: '${name}-storage-events'
  location: location
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource documentCreated 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2023-12-15-preview' = {
  parent: topic
  name: 'document-blob-created'
  properties: {
    destination: {
      endpointType: 'AzureFunction'
      properties: { resourceId: '${app.id}/functions/DocumentBlobCreated' }
    }
    filter: {
      includedEventTypes: [ 'Microsoft.Storage.BlobCreated' ]
      subjectBeginsWith: '/blobServices/default/containers/documents/blobs/'
    }
  }
}

output functionAppName string = app.name
output storageAccountName string = storage.name
