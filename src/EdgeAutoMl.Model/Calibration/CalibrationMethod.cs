namespace EdgeAutoMl.Model.Calibration;

/// <summary>How activation ranges are taken from the calibration run.</summary>
public enum CalibrationMethod
{
    /// <summary>Smallest and largest value seen.</summary>
    MinMax,
    /// <summary>The (100−p)th and p-th percentiles (p = <see cref="Calibrator.DefaultPercentile"/> unless given), which ignores rare outliers.</summary>
    Percentile,
    /// <summary>The range, clipped from min/max by a ratio on a grid, whose int8 quantization has the least mean squared error (<see cref="MseRangeSearch"/>).</summary>
    Mse,
}

/// <summary>A calibrated value range of one tensor.</summary>
public readonly record struct TensorRange(float Min, float Max);
