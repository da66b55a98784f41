using System.Globalization;
using System.Text.Json.Nodes;
using EdgeAutoMl.Search.Samplers.Tpe;

namespace EdgeAutoMl.Search.Tests.Samplers;

/// <summary>
/// MOTPE's weights of the "good" trials against python3-optuna's own function on the same loss values: the
/// leave-one-out hypervolume contribution divided by the largest, ε for trials that contribute nothing.
/// </summary>
public class OptunaMotpeWeightsTests
{
    private const string Script = """
import json, sys
import numpy as np
from optuna.samplers._tpe.sampler import _calculate_weights_below_for_multi_objective
req = json.load(sys.stdin)
loss_vals = [(-float("inf"), v) for v in req["losses"]]
w = _calculate_weights_below_for_multi_objective(loss_vals, np.arange(len(loss_vals)), None)
print(json.dumps([float(x) for x in w]))
""";

    [NeedsOptunaFact]
    public void Weights_match_optuna_on_random_good_groups()
    {
        var rng = new Random(31);
        foreach (int objectives in new[] { 2, 3 })
            foreach (int n in new[] { 2, 5, 12, 25 })
            {
                // Losses on a rough front plus some dominated points (contribution 0: weight ε).
                var losses = Enumerable.Range(0, n).Select(_ =>
                {
                    double[] p = Enumerable.Range(0, objectives).Select(_ => rng.NextDouble()).ToArray();
                    double s = p.Sum();
                    double lift = rng.NextDouble() < 0.3 ? 1.5 : 1.0;
                    return p.Select(v => lift * v / s).ToArray();
                }).ToList();
                var below = losses.Select((v, i) => new FrozenTrial { Number = i, State = TrialState.Complete, Values = v }).ToList();
                double[] ours = TpeWeights.MultiObjectiveBelowWeights(below,
                    Enumerable.Repeat(StudyDirection.Minimize, objectives).ToArray(), constraintsEnabled: false);

                var req = new JsonObject { ["losses"] = new JsonArray(losses.Select(l => (JsonNode)new JsonArray(l.Select(v => (JsonNode)JsonValue.Create(v)).ToArray())).ToArray()) };
                var (code, stdout, stderr) = OptunaParzenReplayTests.RunPython(Script, req.ToJsonString());
                Assert.True(code == 0, stderr);
                double[] theirs = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
                for (int i = 0; i < n; i++)
                    Assert.True(Math.Abs(theirs[i] - ours[i]) < 1e-9,
                        $"{objectives} objectives, n={n}, trial {i} ({string.Join(", ", losses[i].Select(v => v.ToString("F4", CultureInfo.InvariantCulture)))}): optuna {theirs[i]}, ours {ours[i]}");
            }
    }
}
