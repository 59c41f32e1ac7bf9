using MotCua.FunctionApp;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Storage;

// motcua                              run the app (standalone, or custom handler under the Functions host)
// motcua --seed-demo                  seed demo data, print demo tokens, then run
// motcua create-storage               create the tables, the documents container and the storage queues, then exit
//                                     (a deployment's step; the app then runs with Storage:CreateOnStart=false)
// motcua generate-functions <dir> [host.json] [--service-bus]
//                                     write host.json and every function.json into <dir>, with queue
//                                     triggers on Storage Queues or, with --service-bus, on Service Bus
if (args is ["generate-functions", var output, ..])
{
    var rest = args.Skip(2).ToList();
    var queues = rest.Remove("--service-bus") ? QueueTransportKind.ServiceBus : QueueTransportKind.StorageQueues;
    var hostJson = rest.Count > 0 ? rest[0] : Path.Combine(AppContext.BaseDirectory, "host.json");
    // The functions are what the app declares as it is built: its capabilities' registrations and endpoint maps.
    var functions = MotCuaApp.Build(["--Logging:LogLevel:Default=None"]).Services.GetRequiredService<FunctionRegistry>().All;
    FunctionJsonGenerator.Write(output, hostJson, functions, queues);
    Console.WriteLine($"Wrote {functions.Count} functions to {Path.GetFullPath(output)}");
    return 0;
}

if (args is ["create-storage", ..])
{
    var storage = MotCuaApp.Build(args[1..]);
    await storage.Services.GetServices<IHostedService>().OfType<StorageInitializer>().Single().CreateAsync(CancellationToken.None);
    Console.WriteLine("Storage is ready.");
    return 0;
}

var seed = args.Contains("--seed-demo");
var app = MotCuaApp.Build([.. args.Where(a => a != "--seed-demo")]);
if (seed)
{
    await app.StartAsync();
    await app.Services.GetRequiredService<DemoData>().SeedAndPrintAsync(Console.Out, app.Lifetime.ApplicationStopping);
    await app.WaitForShutdownAsync();
}
else
{
    await app.RunAsync();
}
return 0;
