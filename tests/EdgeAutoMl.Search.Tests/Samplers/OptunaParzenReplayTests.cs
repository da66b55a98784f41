using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAutoMl.Search.Distributions;
using EdgeAutoMl.Search.Samplers.Tpe;

namespace EdgeAutoMl.Search.Tests.Samplers;

/// <summary>
/// A fact that needs Debian's python3-optuna (3.1); skipped with the install command when it is missing (xunit 2 cannot
/// skip at run time, so the check runs when the attribute is created).
/// </summary>
public sealed class NeedsOptunaFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> MissingReason = new(() =>
    {
        if (!File.Exists(Python)) return $"{Python} not found: apt-get install python3 python3-optuna";
        try
        {
            var (code, _, err) = OptunaParzenReplayTests.RunPython("import optuna", "");
            return code == 0 ? null : $"python3-optuna not installed ({err.Trim().Split('\n').LastOrDefault()}): apt-get install python3-optuna";
        }
        catch (Exception e)
        {
            return $"cannot run {Python}: {e.Message}";
        }
    });

    public NeedsOptunaFactAttribute()
    {
        if (MissingReason.Value is { } reason) Skip = reason;
    }
}

/// <summary>
/// Replays the same observations through Optuna's own _ParzenEstimator (python3-optuna) and ours: kernel widths and
/// log densities at the same points must agree, univariate and multivariate, for float, log, stepped int and
/// categorical params, with Optuna's default weights (the ramp below the newest 25 included), for both kernel kinds:
/// the default (Optuna before 3.5, which left −log σ out of each continuous kernel's log density, optuna#5109) and
/// <see cref="TpeOptions.NormalizedKernels"/> (Optuna ≥ 3.5); the script shifts Optuna's density to the one tested.
/// </summary>
public class OptunaParzenReplayTests
{
    /// <summary>
    /// Python prelude of the scripts that compare with Optuna's TPE: reads the JSON request from stdin into <c>req</c>
    /// and, when <c>req["normalized"]</c> asks for the other kernel kind than the installed Optuna has, shifts
    /// Optuna's truncated-normal log density by log σ (Optuna &lt; 3.5 left it out: optuna#5109, fixed by PR #5110).
    /// </summary>
    internal const string RequestWithKernelKind = """
import json, sys
import numpy as np
import optuna
import optuna.samplers._tpe._truncnorm as truncnorm

req = json.load(sys.stdin)
if req["normalized"] != (tuple(int(p) for p in optuna.__version__.split(".")[:2]) >= (3, 5)):
    _as_shipped = truncnorm.logpdf
    _sign = -1.0 if req["normalized"] else 1.0
    truncnorm.logpdf = lambda x, a, b, loc=0, scale=1: _as_shipped(x, a, b, loc, scale) + _sign * np.log(scale)

""";

    private const string Script = RequestWithKernelKind + """
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_weights
space = {}
for i, d in enumerate(req["space"]):
    if d["kind"] == "float":
        space[f"p{i}"] = FloatDistribution(d["low"], d["high"], log=d["log"], step=d.get("step"))
    elif d["kind"] == "int":
        space[f"p{i}"] = IntDistribution(int(d["low"]), int(d["high"]), log=d["log"], step=int(d.get("step") or 1))
    else:
        space[f"p{i}"] = CategoricalDistribution(list(range(d["choices"])))
params = _ParzenEstimatorParameters(consider_prior=True, prior_weight=1.0, consider_magic_clip=True,
                                    consider_endpoints=False, weights=default_weights, multivariate=req["multivariate"])
def column(i, values):
    return np.asarray(values, dtype=int if req["space"][i]["kind"] == "cat" else float)
obs = {f"p{i}": column(i, c) for i, c in enumerate(req["observations"])}
pe = _ParzenEstimator(obs, space, params)
pts = {f"p{i}": column(i, c) for i, c in enumerate(req["points"])}
sig = pe._sigmas["p0"]
print(json.dumps({"log_pdf": pe.log_pdf(pts).tolist(), "sigmas": None if sig is None else sig.tolist()}))
""";

    internal static (int Code, string Stdout, string Stderr) RunPython(string script, string stdin)
    {
        var psi = new ProcessStartInfo(NeedsOptunaFactAttribute.Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException("could not start python3");
        p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        Task<string> stdout = p.StandardOutput.ReadToEndAsync(), stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("python3 did not finish within 120 s.");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static JsonObject Spec(Distribution d) => d switch
    {
        FloatDistribution f => new JsonObject { ["kind"] = "float", ["low"] = f.Low, ["high"] = f.High, ["log"] = f.Log, ["step"] = f.Step },
        IntDistribution i => new JsonObject { ["kind"] = "int", ["low"] = i.Low, ["high"] = i.High, ["log"] = i.Log, ["step"] = i.Step },
        CategoricalDistribution c => new JsonObject { ["kind"] = "cat", ["choices"] = c.Choices.Count },
        _ => throw new ArgumentException(d.OptunaName),
    };

    private static (double[] LogPdf, double[]? Sigmas) Optuna(Distribution[] space, double[][] observations, double[][] points,
        bool multivariate, bool normalized)
    {
        var req = new JsonObject
        {
            ["multivariate"] = multivariate,
            ["normalized"] = normalized,
            ["space"] = new JsonArray(space.Select(d => (JsonNode)Spec(d)).ToArray()),
            ["observations"] = JsonSerializer.SerializeToNode(observations),
            ["points"] = JsonSerializer.SerializeToNode(points),
        };
        var (code, stdout, stderr) = RunPython(Script, req.ToJsonString());
        Assert.True(code == 0, stderr);
        JsonNode result = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!;
        double[] logPdf = result["log_pdf"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        double[]? sigmas = result["sigmas"]?.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        return (logPdf, sigmas);
    }

    private static double Transform(Distribution d, double v) => Search.Samplers.SearchSpaceTransform.Transform(d, v);

    // Observations and points as internal values on each distribution's grid.
    private static double[] Draw(Random rng, Distribution d, int n) =>
        Enumerable.Range(0, n).Select(_ => Samplers.UniformDrawFor(rng, d)).ToArray();

    private static readonly Distribution[] Kinds =
    [
        new FloatDistribution(-2, 3),
        new FloatDistribution(1e-4, 1, log: true),
        new IntDistribution(0, 40, step: 2),
        new IntDistribution(1, 256, log: true),
        new FloatDistribution(0, 1, step: 0.1),
        new CategoricalDistribution(new object?[] { 2L, 3L, 4L, 8L }),
    ];

    [NeedsOptunaFact]
    public void Univariate_widths_and_log_densities_match_optuna()
    {
        foreach (bool normalized in new[] { false, true })
            UnivariateMatches(normalized);
    }

    private static void UnivariateMatches(bool normalized)
    {
        var options = new TpeOptions { NormalizedKernels = normalized };
        var rng = new Random(21);
        foreach (Distribution d in Kinds)
            foreach (int n in new[] { 1, 7, 40 }) // 40 > 25: the weight ramp
            {
                double[] obs = Draw(rng, d, n), pts = Draw(rng, d, 15);
                var (expected, sigmas) = Optuna([d], [obs], [pts], multivariate: false, normalized);
                var pe = new ParzenEstimator(d, obs, TpeWeights.DefaultWeights(n), options);
                // Kernels on the same value (ints, steps) get the gaps on either side in an order numpy's unstable
                // argsort picks: compare the widths of each group of equal observations as a multiset.
                if (sigmas is not null)
                    foreach (var group in Enumerable.Range(0, n).GroupBy(k => obs[k]))
                    {
                        // A group tied with the prior's centre shares its slots with the prior, whose width is then
                        // replaced by the range: which observation got which slot is again numpy's choice.
                        if (Math.Abs(Transform(d, group.Key) - pe.PriorCentre) < 1e-12) continue;
                        double[] theirs = group.Select(k => sigmas[k]).Order().ToArray();
                        double[] ours = group.Select(k => pe.Sigmas[k]).Order().ToArray();
                        for (int j = 0; j < theirs.Length; j++)
                            Assert.True(Math.Abs(theirs[j] - ours[j]) < 1e-12, $"{d.ToJson()} n={n} at {group.Key}: optuna σ {theirs[j]}, ours {ours[j]}");
                    }
                // With equal weights (n ≤ 25) that order cannot change the density; with the ramp it can, if tied.
                bool tiedUnequalWeights = n > 25 && obs.Distinct().Count() < n;
                if (tiedUnequalWeights && d is not CategoricalDistribution) continue;
                for (int i = 0; i < pts.Length; i++)
                    Assert.True(Math.Abs(expected[i] - pe.LogPdf(pts[i])) < 1e-9,
                        $"{d.ToJson()} normalized={normalized} n={n} x={pts[i].ToString(CultureInfo.InvariantCulture)}: optuna {expected[i]}, ours {pe.LogPdf(pts[i])}");
            }
    }

    [NeedsOptunaFact]
    public void Multivariate_log_densities_match_optuna()
    {
        foreach (bool normalized in new[] { false, true })
            MultivariateMatches(normalized);
    }

    private static void MultivariateMatches(bool normalized)
    {
        var rng = new Random(22);
        foreach (int n in new[] { 1, 12, 60 })
        {
            double[][] obs = Kinds.Select(d => Draw(rng, d, n)).ToArray();
            double[][] pts = Kinds.Select(d => Draw(rng, d, 20)).ToArray();
            var (expected, _) = Optuna(Kinds, obs, pts, multivariate: true, normalized);
            var pe = new MultivariateParzenEstimator(Kinds, obs, TpeWeights.DefaultWeights(n), new TpeOptions { NormalizedKernels = normalized });
            double[] ours = pe.LogPdf(Enumerable.Range(0, 20).Select(i => Kinds.Select((_, d) => pts[d][i]).ToArray()).ToList());
            for (int i = 0; i < ours.Length; i++)
                Assert.True(Math.Abs(expected[i] - ours[i]) < 1e-9, $"normalized={normalized} n={n} point {i}: optuna {expected[i]}, ours {ours[i]}");
        }
    }
}

internal static class Samplers
{
    public static double UniformDrawFor(Random rng, Distribution d) => Search.Samplers.UniformDraw.Draw(rng, d);
}
