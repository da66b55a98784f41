namespace EdgeAutoMl.Orchestrator;
