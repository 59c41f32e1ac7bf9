using System.Diagnostics;

namespace MotCua.Benchmarks;

/// <summary>How much one piece of work grows the process: the working set's and the GC heap's peaks above a settled baseline, sampled every 5 ms, and what it allocated.</summary>
public sealed record MemoryPeak(TimeSpan Elapsed, long BaseWorkingSet, long WorkingSetGrowth, long HeapGrowth, long Allocated)
{
    public static async Task<MemoryPeak> MeasureAsync(Func<Task> work)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        await Task.Delay(300);
        var baseWorkingSet = Environment.WorkingSet;
        var baseHeap = GC.GetTotalMemory(false);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long peakWorkingSet = baseWorkingSet, peakHeap = baseHeap;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakWorkingSet = Math.Max(peakWorkingSet, Environment.WorkingSet);
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                await Task.Delay(5);
            }
        });
        var clock = Stopwatch.StartNew();
        await work();
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        await sampling.CancelAsync();
        await sampler;
        return new MemoryPeak(clock.Elapsed, baseWorkingSet, peakWorkingSet - baseWorkingSet, peakHeap - baseHeap, allocated);
    }

    public override string ToString() =>
        $"working set peak +{Megabytes(WorkingSetGrowth):F1} MB (baseline {Megabytes(BaseWorkingSet):F0} MB), GC heap peak +{Megabytes(HeapGrowth):F1} MB, allocated {Megabytes(Allocated):F1} MB";

    private static double Megabytes(long bytes) => bytes / (1024.0 * 1024.0);
}
