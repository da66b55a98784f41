namespace EdgeAutoMl.Orchestrator.Tests.Device;

/// <summary>Device tests run one at a time: each class owns a simulator process pair and the 2-core CI box is small.</summary>
[CollectionDefinition("device", DisableParallelization = true)]
public class DeviceCollection;
