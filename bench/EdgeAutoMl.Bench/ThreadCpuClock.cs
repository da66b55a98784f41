using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EdgeAutoMl.Bench;

/// <summary>
/// CPU time of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID), the figure Python's time.thread_time() gives. On a
/// shared machine wall-clock latencies swing with the load; the sampler's own CPU time does not, so both are printed.
/// Elsewhere it falls back to the wall clock.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);

    /// <summary>Milliseconds of CPU used by this thread so far (an arbitrary origin: use differences).</summary>
    public static double NowMs()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTimeId, out TimeSpec t) == 0)
            return t.Seconds * 1e3 + t.Nanoseconds * 1e-6;
        return Stopwatch.GetTimestamp() * 1e3 / Stopwatch.Frequency;
    }
}
