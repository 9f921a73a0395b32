namespace Monolith.EmbeddedMongo.Tests.Conformance;

/// <summary>A spec test asks for something this runner cannot express with the driver; the test fails with it.</summary>
internal sealed class UnsupportedSpecException(string message) : Exception("unsupported by runner: " + message);
