using System.Reflection;
using Otklik.Core.Gate;

namespace Otklik.Core.Tests.Architecture;

public sealed class DependencyTests
{
    [Fact]
    public void Core_ReferencesOnlyTheBaseLibrary()
    {
        var references = typeof(AdmissionGate).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name == "netstandard", $"Otklik.Core must stay pure but references {name}"));
    }

    [Fact]
    public void Core_HasNoTypeThatReadsTheClock()
    {
        // The gate and the calendar take time as a value; only the edges hold a TimeProvider.
        var offenders = typeof(AdmissionGate).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Instance | BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public).Select(f => (t, f.FieldType)))
            .Where(x => x.FieldType == typeof(TimeProvider))
            .Select(x => x.t.FullName)
            .ToList();
        Assert.Empty(offenders);
    }
}
