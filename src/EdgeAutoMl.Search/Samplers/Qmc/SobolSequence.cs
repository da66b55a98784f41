namespace EdgeAutoMl.Search.Samplers.Qmc;

/// <summary>
/// Sobol' low-discrepancy sequence in [0,1)^d with 30-bit direction numbers (Joe–Kuo), points in Gray-code order as
/// SciPy's qmc.Sobol produces them: unscrambled point k equals SciPy's k-th point. With scrambling, each dimension's
/// direction numbers are multiplied by a random lower-triangular binary matrix and XOR-shifted by a random digit
/// vector (linear matrix scramble + digital shift, SciPy's method), drawn from the seed.
/// </summary>
public sealed class SobolSequence
{
    private const int Bits = 30;
    private readonly uint[,] _v;  // direction numbers [dim, bit]
    private readonly uint[] _shift;

    /// <summary>Creates the sequence.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Dimension outside 1..256.</exception>
    public SobolSequence(int dimension, bool scramble = false, int? seed = null)
    {
        if (dimension < 1 || dimension > SobolDirectionNumbers.MaxDimension)
            throw new ArgumentOutOfRangeException(nameof(dimension), $"Sobol' supports 1..{SobolDirectionNumbers.MaxDimension} dimensions, got {dimension}.");
        Dimension = dimension;
        _v = new uint[dimension, Bits];
        _shift = new uint[dimension];
        for (int d = 0; d < dimension; d++) InitialiseDimension(d);
        if (scramble)
        {
            var rng = seed is { } s ? new Random(s) : new Random();
            for (int d = 0; d < dimension; d++) Scramble(d, rng);
        }
    }

    /// <summary>Dimensions of each point.</summary>
    public int Dimension { get; }

    /// <summary>The point with index <paramref name="index"/> (0-based).</summary>
    public double[] Point(long index)
    {
        if (index < 0 || index >= 1L << Bits) throw new ArgumentOutOfRangeException(nameof(index));
        long gray = index ^ (index >> 1);
        var x = new double[Dimension];
        for (int d = 0; d < Dimension; d++)
        {
            uint acc = _shift[d];
            for (int b = 0; b < Bits && (gray >> b) != 0; b++)
                if (((gray >> b) & 1) != 0) acc ^= _v[d, b];
            x[d] = acc / (double)(1u << Bits);
        }
        return x;
    }

    // Joe–Kuo recurrence: m_i = 2a_1 m_{i−1} ⊕ … ⊕ 2^{s−1}a_{s−1} m_{i−s+1} ⊕ 2^s m_{i−s} ⊕ m_{i−s}; v_i = m_i · 2^{30−i}.
    private void InitialiseDimension(int d)
    {
        if (d == 0)
        {
            for (int b = 0; b < Bits; b++) _v[0, b] = 1u << (Bits - 1 - b); // van der Corput
            return;
        }
        int poly = SobolDirectionNumbers.Poly[d];
        int s = 31 - System.Numerics.BitOperations.LeadingZeroCount((uint)poly); // degree
        int[] init = SobolDirectionNumbers.Vinit[d];
        var m = new uint[Bits];
        for (int i = 0; i < Bits; i++)
        {
            if (i < s) { m[i] = (uint)init[i]; continue; }
            uint next = m[i - s] ^ (m[i - s] << s);
            for (int k = 1; k < s; k++)
                if (((poly >> (s - k)) & 1) != 0) next ^= m[i - k] << k;
            m[i] = next;
        }
        for (int b = 0; b < Bits; b++) _v[d, b] = m[b] << (Bits - 1 - b);
    }

    private void Scramble(int d, Random rng)
    {
        // Row r of the lower-triangular matrix acts on bit r (from the most significant digit); diagonal is 1.
        var rows = new uint[Bits];
        for (int r = 0; r < Bits; r++)
        {
            uint row = 1u << (Bits - 1 - r);
            for (int c = 0; c < r; c++)
                if (rng.Next(2) == 1) row |= 1u << (Bits - 1 - c);
            rows[r] = row;
        }
        for (int b = 0; b < Bits; b++)
        {
            uint v = _v[d, b], scrambled = 0;
            for (int r = 0; r < Bits; r++)
                if ((System.Numerics.BitOperations.PopCount(rows[r] & v) & 1) == 1) scrambled |= 1u << (Bits - 1 - r);
            _v[d, b] = scrambled;
        }
        _shift[d] = (uint)rng.Next(1 << Bits);
    }
}
