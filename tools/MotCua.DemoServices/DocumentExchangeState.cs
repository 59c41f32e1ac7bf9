using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MotCua.DemoServices;

/// <summary>An agency on the exchange, and the system (one MotCua deployment) that sends and receives for it.</summary>
public sealed record ExchangeAgency(string Id, string Name, string System);

/// <summary>One pending delivery as the recipient's system lists it.</summary>
public sealed record ExchangeKnobstick(string Id, string DocId, string From, string To, string MessageType, DateTimeOffset SentAt);

/// <summary>A delivery as the sender sees it: pending, done or fail, with the recipient's reason.</summary>
public sealed record ExchangeDeliveryView(string Id, string To, string Outcome, string? Reason);

/// <summary>A package the calling system sent, with one delivery per recipient.</summary>
public sealed record ExchangeSentView(string DocId, string From, string MessageType, DateTimeOffset SentAt, IReadOnlyList<ExchangeDeliveryView> Deliveries);

/// <summary>Why the exchange refused a call: HTTP status, a stable code and a description.</summary>
public sealed record ExchangeFailure(int Status, string Code, string Description);

/// <summary>
/// What a local document exchange keeps: agencies, packages (files under packages/) and deliveries
/// (index.json, replaced atomically on every change), so a restart on the same folder loses nothing.
/// </summary>
public sealed partial class DocumentExchangeState
{
    public const string Namespace = "http://www.mic.gov.vn/TBT/QCVN_102_2016";
    public const string Pending = "pending";
    public const string Done = "done";
    public const string Fail = "fail";
    public const int MaxReasonLength = 2000;

    private static readonly JsonSerializerOptions IndexJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly Lock _gate = new();
    private readonly string _indexFile;
    private readonly string _packages;
    private readonly string _uploads;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, ExchangeAgency> _agencies = new(StringComparer.Ordinal);
    private readonly List<StoredDocument> _documents = [];
    private readonly Dictionary<string, (StoredDocument Document, StoredDelivery Delivery)> _deliveries = new(StringComparer.Ordinal);
    private readonly Dictionary<(string System, string PackageId), StoredDocument> _byPackage = [];

    public DocumentExchangeState(string dataFolder, TimeProvider time, X509Certificate2? clientCa = null)
    {
        _time = time;
        ClientCa = clientCa;
        Directory.CreateDirectory(dataFolder);
        _indexFile = Path.Combine(dataFolder, "index.json");
        _packages = Directory.CreateDirectory(Path.Combine(dataFolder, "packages")).FullName;
        _uploads = Path.Combine(dataFolder, "uploads");
        // An upload that was never stored (the server stopped while receiving it) is of no use.
        if (Directory.Exists(_uploads)) Directory.Delete(_uploads, recursive: true);
        Directory.CreateDirectory(_uploads);
        if (File.Exists(_indexFile))
        {
            using var stream = File.OpenRead(_indexFile);
            var index = JsonSerializer.Deserialize<StoredIndex>(stream, IndexJson) ?? new StoredIndex();
            foreach (var agency in index.Agencies) _agencies[agency.Id] = agency;
            foreach (var document in index.Documents) Add(document);
        }
    }

    /// <summary>When set, callers are known by a client certificate issued under this CA (its subject's CN is the system id).</summary>
    public X509Certificate2? ClientCa { get; }

    /// <summary>The largest package accepted.</summary>
    public long MaxPackageBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>1..35 characters of <c>.0-9A-Z</c>, as agency codes are written.</summary>
    public static bool IsAgencyId(string? id) => id is not null && AgencyIdPattern().IsMatch(id);

    /// <summary>The agencies of a JSON array of <c>{id, name, system}</c>.</summary>
    public static IReadOnlyList<ExchangeAgency> ReadAgencies(string file)
    {
        using var stream = File.OpenRead(file);
        var agencies = JsonSerializer.Deserialize<List<ExchangeAgency>>(stream, IndexJson) ?? [];
        foreach (var agency in agencies)
        {
            if (Validate(agency) is { } failure) throw new InvalidDataException($"{file}: {failure.Description}");
        }
        return agencies;
    }

    /// <summary>The failure an agency's fields give, or null when they are valid.</summary>
    public static ExchangeFailure? Validate(ExchangeAgency agency)
    {
        if (!IsAgencyId(agency.Id))
            return new(400, "invalid-agency-id", $"Mã định danh cơ quan không hợp lệ (1..35 ký tự .0-9A-Z): '{agency.Id}'");
        if (string.IsNullOrWhiteSpace(agency.Name) || agency.Name.Length > 500)
            return new(400, "invalid-agency-name", "Tên cơ quan phải có từ 1 đến 500 ký tự");
        if (!IsSystemId(agency.System))
            return new(400, "invalid-system", "Mã hệ thống phải có từ 1 đến 128 ký tự, không có khoảng trắng");
        return null;
    }

    /// <summary>1..128 visible characters.</summary>
    public static bool IsSystemId(string? system) =>
        !string.IsNullOrEmpty(system) && system.Length <= 128 && system.All(c => c > ' ' && c < 127);

    /// <summary>Whether <paramref name="certificate"/> chains to <see cref="ClientCa"/> and may be used for client authentication.</summary>
    public bool AcceptsClientCertificate(X509Certificate2 certificate)
    {
        if (ClientCa is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ClientCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2"));
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        return chain.Build(certificate)
            && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(ClientCa.RawDataMemory.Span);
    }

    public IReadOnlyList<ExchangeAgency> Agencies()
    {
        lock (_gate) return [.. _agencies.Values.OrderBy(a => a.Id, StringComparer.Ordinal)];
    }

    /// <summary>Registers or replaces agencies (from the agencies file at start).</summary>
    public void Register(IEnumerable<ExchangeAgency> agencies)
    {
        lock (_gate)
        {
            foreach (var agency in agencies) _agencies[agency.Id] = agency;
            Save();
        }
    }

    /// <summary>Registers or updates an agency for the calling system; an agency of another system stays theirs.</summary>
    public ExchangeFailure? Register(ExchangeAgency agency, string caller)
    {
        if (Validate(agency) is { } invalid) return invalid;
        if (agency.System != caller)
            return new(403, "foreign-system", "Chỉ được đăng ký cơ quan cho chính hệ thống đang gọi");
        lock (_gate)
        {
            if (_agencies.TryGetValue(agency.Id, out var existing) && existing.System != caller)
                return new(403, "agency-of-another-system", $"Cơ quan {agency.Id} đã thuộc một hệ thống khác");
            _agencies[agency.Id] = agency;
            Save();
        }
        return null;
    }

    /// <summary>The document already stored for this system's package id, if any.</summary>
    public string? DocIdOf(string system, string packageId)
    {
        lock (_gate) return _byPackage.TryGetValue((system, packageId), out var document) ? document.DocId : null;
    }

    /// <summary>A fresh file to receive an upload into.</summary>
    public string NewUpload() => Path.Combine(_uploads, Guid.NewGuid().ToString("N") + ".part");

    /// <summary>
    /// Stores the uploaded package (moving <paramref name="upload"/>) with one delivery per recipient,
    /// after checking the sender belongs to <paramref name="system"/> and every recipient is known.
    /// A package id the system already used answers the document stored then.
    /// </summary>
    public (string? DocId, ExchangeFailure? Failure) Store(string system, string packageId, string messageType, string from, IReadOnlyList<string> recipients, string upload)
    {
        lock (_gate)
        {
            if (_byPackage.TryGetValue((system, packageId), out var earlier)) return (earlier.DocId, null);
            if (!_agencies.TryGetValue(from, out var sender) || sender.System != system)
                return (null, new(403, "sender-not-of-system", $"Cơ quan gửi {from} không thuộc hệ thống {system}"));
            if (recipients.FirstOrDefault(r => !_agencies.ContainsKey(r)) is { } unknown)
                return (null, new(400, "unknown-recipient", $"Cơ quan nhận {unknown} chưa đăng ký trên trục"));
            var document = new StoredDocument
            {
                DocId = Guid.CreateVersion7().ToString("N"),
                System = system,
                PackageId = packageId,
                From = from,
                MessageType = messageType,
                SentAt = _time.GetUtcNow(),
                Deliveries = [.. recipients.Select(r => new StoredDelivery { Id = Guid.CreateVersion7().ToString("N"), To = r, Outcome = Pending })],
            };
            File.Move(upload, PackageFile(document.DocId));
            Add(document);
            Save();
            return (document.DocId, null);
        }
    }

    /// <summary>Pending deliveries to the agencies of <paramref name="system"/>, oldest first.</summary>
    public IReadOnlyList<ExchangeKnobstick> Received(string system, string? messageType)
    {
        lock (_gate)
        {
            return [.. from document in _documents
                       where messageType is null || document.MessageType == messageType
                       from delivery in document.Deliveries
                       where delivery.Outcome == Pending && SystemOf(delivery.To) == system
                       select new ExchangeKnobstick(delivery.Id, document.DocId, document.From, delivery.To, document.MessageType, document.SentAt)];
        }
    }

    /// <summary>The package file of a delivery to an agency of <paramref name="system"/>; null when there is none.</summary>
    public string? PackageOf(string deliveryId, string system)
    {
        lock (_gate)
        {
            return _deliveries.TryGetValue(deliveryId, out var found) && SystemOf(found.Delivery.To) == system
                ? PackageFile(found.Document.DocId)
                : null;
        }
    }

    /// <summary>Records the recipient's outcome once; a repeat answers the outcome recorded first.</summary>
    public ExchangeDeliveryView? Decide(string deliveryId, string system, string outcome, string? reason)
    {
        lock (_gate)
        {
            if (!_deliveries.TryGetValue(deliveryId, out var found) || SystemOf(found.Delivery.To) != system) return null;
            var delivery = found.Delivery;
            if (delivery.Outcome == Pending)
            {
                delivery.Outcome = outcome;
                delivery.Reason = string.IsNullOrWhiteSpace(reason) ? null : reason;
                delivery.DecidedAt = _time.GetUtcNow();
                Save();
            }
            return new(delivery.Id, delivery.To, delivery.Outcome, delivery.Reason);
        }
    }

    /// <summary>What <paramref name="system"/> sent, oldest first.</summary>
    public IReadOnlyList<ExchangeSentView> Sent(string system, string? messageType)
    {
        lock (_gate)
        {
            return [.. from document in _documents
                       where document.System == system && (messageType is null || document.MessageType == messageType)
                       select new ExchangeSentView(document.DocId, document.From, document.MessageType, document.SentAt,
                           [.. document.Deliveries.Select(d => new ExchangeDeliveryView(d.Id, d.To, d.Outcome, d.Reason))])];
        }
    }

    private string? SystemOf(string agency) => _agencies.TryGetValue(agency, out var found) ? found.System : null;

    private string PackageFile(string docId) => Path.Combine(_packages, docId + ".xml");

    private void Add(StoredDocument document)
    {
        _documents.Add(document);
        _byPackage[(document.System, document.PackageId)] = document;
        foreach (var delivery in document.Deliveries) _deliveries[delivery.Id] = (document, delivery);
    }

    // Written whole to a temporary file, flushed, then renamed over the index: a reader never sees half of it.
    private void Save()
    {
        var temporary = _indexFile + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, new StoredIndex { Agencies = [.. _agencies.Values], Documents = _documents }, IndexJson);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, _indexFile, overwrite: true);
    }

    [GeneratedRegex("^[.0-9A-Z]{1,35}$")]
    private static partial Regex AgencyIdPattern();

    private sealed class StoredIndex
    {
        public List<ExchangeAgency> Agencies { get; set; } = [];
        public List<StoredDocument> Documents { get; set; } = [];
    }

    private sealed class StoredDocument
    {
        public string DocId { get; set; } = "";
        public string System { get; set; } = "";
        public string PackageId { get; set; } = "";
        public string From { get; set; } = "";
        public string MessageType { get; set; } = "";
        public DateTimeOffset SentAt { get; set; }
        public List<StoredDelivery> Deliveries { get; set; } = [];
    }

    private sealed class StoredDelivery
    {
        public string Id { get; set; } = "";
        public string To { get; set; } = "";
        public string Outcome { get; set; } = Pending;
        public string? Reason { get; set; }
        public DateTimeOffset? DecidedAt { get; set; }
    }
}
