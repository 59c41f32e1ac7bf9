using Azure.Data.Tables;
using MotCua.Domain.Deadlines;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Storage;

namespace MotCua.FunctionApp.Calendar;

public sealed record Holiday(DateOnly Date, string Name);

/// <summary>A year's public holidays and make-up working days, as the government announces them.</summary>
public sealed record CalendarYear(int Year, IReadOnlyList<Holiday> Holidays, IReadOnlyList<DateOnly> WorkingDays);

/// <summary>
/// The working-day calendar from data: rows in the catalogue's "calendar" partition, one per year.
/// Read at most once a minute.
/// </summary>
public sealed class CalendarStore(MotCuaTables tables, TimeProvider time)
{
    public const string Partition = "calendar";
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private (WorkingCalendar Calendar, DateTimeOffset ReadAt)? _cached;

    public async Task<WorkingCalendar> CurrentAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_cached is { } cached && now - cached.ReadAt < CacheFor) return cached.Calendar;
        var years = await YearsAsync(cancellationToken);
        var calendar = new WorkingCalendar(WorkingDaySchedule.Default,
            years.SelectMany(y => y.Holidays.Select(h => h.Date)), years.SelectMany(y => y.WorkingDays));
        _cached = (calendar, now);
        return calendar;
    }

    public async Task<IReadOnlyList<CalendarYear>> YearsAsync(CancellationToken cancellationToken)
    {
        var years = new List<CalendarYear>();
        await foreach (var row in tables.Catalog.QueryAsync<CatalogEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken))
        {
            years.Add(System.Text.Json.JsonSerializer.Deserialize<CalendarYear>(row.Definition!, System.Text.Json.JsonSerializerOptions.Web)!);
        }
        return years;
    }

    public async Task SaveAsync(CalendarYear year, CancellationToken cancellationToken)
    {
        await tables.Catalog.UpsertEntityAsync(new CatalogEntity
        {
            PartitionKey = Partition,
            RowKey = year.Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Name = $"Lịch làm việc {year.Year}",
            Definition = System.Text.Json.JsonSerializer.Serialize(year, System.Text.Json.JsonSerializerOptions.Web),
        }, TableUpdateMode.Replace, cancellationToken);
        _cached = null;
    }
}
