namespace EdgeAutoMl.Hardware.Protocol;

/// <summary>
/// Retransmission timeout learned from round trips, as TCP does it (RFC 6298): a smoothed RTT and
/// its mean deviation, RTO = SRTT + 4·RTTVAR, clamped to [floor, ceiling]. Until the first sample
/// the ceiling is used, so a command that has never been answered gets the configured timeout.
/// Only answers to first attempts are samples (Karn's rule: an answer to a resend is ambiguous).
/// </summary>
internal sealed class RetransmitTimer(TimeSpan floor, TimeSpan ceiling)
{
    private readonly object _gate = new();
    private double _srttMs = -1, _rttvarMs;

    /// <summary>Round trips observed so far.</summary>
    public int Samples { get; private set; }

    /// <summary>Adds one measured round trip.</summary>
    public void Observe(TimeSpan rtt)
    {
        double r = Math.Max(0, rtt.TotalMilliseconds);
        lock (_gate)
        {
            if (_srttMs < 0) { _srttMs = r; _rttvarMs = r / 2; }
            else
            {
                _rttvarMs = 0.75 * _rttvarMs + 0.25 * Math.Abs(_srttMs - r);
                _srttMs = 0.875 * _srttMs + 0.125 * r;
            }
            Samples++;
        }
    }

    /// <summary>The timeout for attempt <paramref name="attempt"/> (0 = first): RTO doubled per resend, at most the ceiling.</summary>
    public TimeSpan Timeout(int attempt)
    {
        double rto;
        lock (_gate)
        {
            if (_srttMs < 0) return ceiling;
            rto = _srttMs + 4 * _rttvarMs;
        }
        rto = Math.Max(rto, floor.TotalMilliseconds) * Math.Pow(2, Math.Min(attempt, 16));
        return TimeSpan.FromMilliseconds(Math.Min(rto, ceiling.TotalMilliseconds));
    }

    /// <summary>The smoothed round trip, or null before the first sample.</summary>
    public TimeSpan? Smoothed { get { lock (_gate) return _srttMs < 0 ? null : TimeSpan.FromMilliseconds(_srttMs); } }
}
