namespace EdgeAutoMl.Search.Samplers.Tpe;

/// <summary>TPE settings; defaults are Optuna's TPESampler defaults.</summary>
public sealed record TpeOptions
{
    /// <summary>Trials sampled at random before TPE starts (Optuna: 10).</summary>
    public int NStartupTrials { get; init; } = 10;
    /// <summary>Candidates drawn from the "good" estimator per param (Optuna: 24).</summary>
    public int NEiCandidates { get; init; } = 24;
    /// <summary>Number of "good" trials given n finished trials (Optuna: min(ceil(0.1·n), 25)).</summary>
    public Func<int, int> Gamma { get; init; } = TpeWeights.DefaultGamma;
    /// <summary>Kernel weights for n observations ordered by trial number (Optuna: flat, ramped below the newest 25).</summary>
    public Func<int, double[]> Weights { get; init; } = TpeWeights.DefaultWeights;
    /// <summary>Weight of the prior kernel (Optuna: 1.0).</summary>
    public double PriorWeight { get; init; } = 1.0;
    /// <summary>Lower-bound kernel widths by range / min(100, 1 + kernels) (Optuna: true).</summary>
    public bool ConsiderMagicClip { get; init; } = true;
    /// <summary>Let the outermost kernels use the distance to the bounds (Optuna: false).</summary>
    public bool ConsiderEndpoints { get; init; } = false;
    /// <summary>Treat trials carrying constraints (system attr <c>constraints</c>) as Optuna does with constraints_func (default true).</summary>
    public bool ConsiderConstraints { get; init; } = true;
    /// <summary>
    /// Multivariate TPE (Optuna: false): params of the intersection search space (those every finished trial has with
    /// the same distribution) are sampled jointly from one Parzen estimator per group, once per trial; params outside it
    /// fall back to independent sampling.
    /// </summary>
    public bool Multivariate { get; init; } = false;
    /// <summary>
    /// Group-decomposed multivariate TPE (Optuna: false; needs <see cref="Multivariate"/>, as Optuna, which raises
    /// otherwise): the finished trials' params are split into groups that always occur together
    /// (<see cref="GroupDecomposedSearchSpace"/>) and each group is sampled jointly, from estimators fitted on the
    /// trials having that group. On a conditional space (params that exist only for some values of another) the
    /// params of each branch are then sampled jointly instead of independently.
    /// </summary>
    public bool Group { get; init; } = false;
    /// <summary>
    /// Constant liar (Optuna: false): RUNNING trials take part in the split as the worst trials (always in the "above"
    /// group), so parallel workers do not all propose the point the good group favours.
    /// </summary>
    public bool ConstantLiar { get; init; } = false;
    /// <summary>
    /// How continuous kernels are weighed when candidates are scored by l(x)/g(x).
    /// False (default; Optuna ≤ 3.4, Debian's python3-optuna 3.1): each kernel's log density leaves out −log σ
    /// (optuna#5109), which is the same as weighting each kernel by its width σ. The width is the gap to the
    /// neighbouring observations, so this weight is about the inverse of how densely TPE sampled there: g(x) then stops
    /// being high merely because TPE kept sampling near the good region, and TPE exploits more. True (Optuna ≥ 3.5,
    /// PR #5110): normalised truncated normals, which explore more.
    /// Measured with bench/compare_efficiency.py and bench/trajectory_compare.py, 30–100 seeds a side: with one
    /// objective, false needs several times fewer trials on Rosenbrock-10D and is ahead on Hartmann-6D and Branin. With
    /// several objectives (100 seeds each), false stalls after about 200 trials while true keeps climbing: true is
    /// clearly ahead from trial 160 on ZDT2 and from 200–240 on ZDT1 and DTLZ2, and at 300 trials by 1.6 %, 5.5 % and
    /// 0.8 % hypervolume (p ≤ 2e-8). Before that false is level or ahead (ZDT1 at 100 trials: 97.8 against 97.0; Optuna
    /// 3.1 with PR #5110 applied dips the same way, 97.4 against 98.1 as shipped). False is the default for any number
    /// of objectives because it is Optuna 3.1's step, level with Debian's Optuna at every checkpoint; set true for
    /// multi-objective studies of 200 trials or more over continuous params. Stepped, int and categorical params
    /// (bit-widths) are probabilities of a cell or a choice, the same either way.
    /// </summary>
    public bool NormalizedKernels { get; init; }
}
