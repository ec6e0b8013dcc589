using Microsoft.Extensions.Time.Testing;
using Otklik.Application.Portal;

namespace Otklik.Server.Tests;

/// <summary>Login codes: they expire, a phone gets only a few per window, and guessing locks the code.</summary>
public sealed class OneTimeCodesTests
{
    private const string Phone = "+79161234567";

    [Fact]
    public void ACode_ExpiresAfterItsLifetime_AndWorksOnce()
    {
        var time = new FakeTimeProvider(OtklikFactory.Start);
        var codes = new OneTimeCodes(time);
        var (_, code, _) = codes.Issue(Phone);
        time.Advance(OneTimeCodes.Lifetime + TimeSpan.FromSeconds(1));
        Assert.Equal(OneTimeCodes.CheckResult.Expired, codes.Check(Phone, code!));

        var (_, fresh, _) = codes.Issue(Phone);
        Assert.Equal(OneTimeCodes.CheckResult.Valid, codes.Check(Phone, fresh!));
        Assert.NotEqual(OneTimeCodes.CheckResult.Valid, codes.Check(Phone, fresh!)); // used up
    }

    [Fact]
    public void APhone_GetsAFewCodesPerWindow_AndGuessingLocksTheCode()
    {
        var time = new FakeTimeProvider(OtklikFactory.Start);
        var codes = new OneTimeCodes(time);
        for (var i = 0; i < OneTimeCodes.MaxIssuesPerWindow; i++)
        {
            Assert.Equal(OneTimeCodes.IssueResult.Issued, codes.Issue(Phone).Result);
        }
        var (result, _, retry) = codes.Issue(Phone);
        Assert.Equal(OneTimeCodes.IssueResult.TooMany, result);
        Assert.True(retry > TimeSpan.Zero);

        time.Advance(OneTimeCodes.IssueWindow + TimeSpan.FromSeconds(1));
        var (again, code, _) = codes.Issue(Phone);
        Assert.Equal(OneTimeCodes.IssueResult.Issued, again);
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < OneTimeCodes.MaxAttempts - 1; i++)
        {
            Assert.Equal(OneTimeCodes.CheckResult.Wrong, codes.Check(Phone, wrong));
        }
        Assert.Equal(OneTimeCodes.CheckResult.Locked, codes.Check(Phone, wrong));
        Assert.NotEqual(OneTimeCodes.CheckResult.Valid, codes.Check(Phone, code!)); // even the right code, once locked
    }
}
