using EdgeAutoMl.Search.Samplers.Qmc;
using EdgeAutoMl.Storage;

namespace EdgeAutoMl.Search.Tests.Samplers;

public class SobolAndQmcTests
{
    [Fact]
    public void Unscrambled_points_equal_scipy()
    {
        // scipy.stats.qmc.Sobol(3, scramble=False).random(6) (SciPy 1.10.1).
        double[][] expected = [[0, 0, 0], [0.5, 0.5, 0.5], [0.75, 0.25, 0.25], [0.25, 0.75, 0.75], [0.375, 0.375, 0.625], [0.875, 0.875, 0.125]];
        var s = new SobolSequence(3);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], s.Point(i));
        // Sobol(10).fast_forward(100).random(1)
        Assert.Equal([0.4140625, 0.2578125, 0.7734375, 0.7265625, 0.8828125, 0.7421875, 0.0234375, 0.4765625, 0.6328125, 0.6953125],
            new SobolSequence(10).Point(100));
        // Sobol(256).fast_forward(1000): dims 255, 100, 37 exercise high-degree polynomials.
        double[] p = new SobolSequence(256).Point(1000);
        Assert.Equal((0.2490234375, 0.7685546875, 0.8310546875), (p[255], p[100], p[37]));
    }

    [Fact]
    public void Scrambled_points_are_seeded_and_keep_the_net_property()
    {
        var a = new SobolSequence(5, scramble: true, seed: 7);
        var b = new SobolSequence(5, scramble: true, seed: 7);
        var c = new SobolSequence(5, scramble: true, seed: 8);
        Assert.Equal(a.Point(3), b.Point(3));
        Assert.NotEqual(a.Point(3), c.Point(3));
        Assert.NotEqual(new SobolSequence(5).Point(3), a.Point(3));
        // A (0, m, 1)-net per coordinate: the first 2^m points put exactly one point in each interval [k/2^m, (k+1)/2^m).
        const int m = 6;
        for (int d = 0; d < 5; d++)
        {
            var cells = Enumerable.Range(0, 1 << m).Select(i => (int)(a.Point(i)[d] * (1 << m))).OrderBy(x => x);
            Assert.Equal(Enumerable.Range(0, 1 << m), cells);
        }
    }

    [Fact]
    public void Sampler_walks_the_sequence_through_a_study_counter()
    {
        var sampler = new QmcSampler(seed: 1);
        Study study = Study.Create(new InMemoryStorage(), "q", StudyDirection.Minimize, sampler);
        var xs = new List<double>();
        var ks = new List<long>();
        study.Optimize(t =>
        {
            double x = t.SuggestFloat("x", -2, 2);
            int k = t.SuggestInt("k", 0, 7);
            xs.Add(x);
            ks.Add(k);
            return x;
        }, 5);
        // Trial 0 has no joint space yet (random); trials 1..4 take Sobol points 0..3 in the 2-D space (k, x) sorted
        // by name: k ∈ [−0.5, 7.5] rounded, x ∈ [−2, 2]. Points (k, x): (0,0), (.5,.5), (.75,.25), (.25,.75).
        Assert.Equal([-2.0, 0.0, -1.0, 1.0], xs.Skip(1)); // x is dimension 1: 0, .5, .25, .75
        Assert.Equal([0L, 4, 6, 2], ks.Skip(1).Select(v => (long)v)); // round(−0.5)=0 (to even, then clipped), round(3.5)=4, round(5.5)=6, round(1.5)=2
        Assert.Equal(3L, study.SystemAttrs[sampler.SampleIdKey]);
    }
}
