using EdgeAutoMl.Hardware.Boards;
using EdgeAutoMl.Hardware.Simulation;

namespace EdgeAutoMl.Hardware.Tests.Integration;

/// <summary>Starts the real simulator binaries for a test; a missing binary fails the test with the build commands.</summary>
internal static class Rig
{
    public static BoardProfile Board() =>
        BoardProfileLoader.LoadById(Path.Combine(RepoLocator.FindRoot(), "boards"), "sim-stm32f405");

    public static Task<SimulatedRig> StartAsync(SimulatedRigOptions? options = null) =>
        SimulatedRig.StartAsync(Board(), options);
}
