using System.Text;
using Otklik.Core.Text;

namespace Otklik.Core.Tests.Text;

public sealed class JsonTextTests
{
    [Fact]
    public void TheBytes_AreTheDocument_AndDecodeToTheSameText()
    {
        const string json = "{\"text\":\"Чайник треснул, прошу замену\",\"n\":1}";
        var fromBytes = JsonText.FromUtf8(Encoding.UTF8.GetBytes(json));
        var fromText = JsonText.From(json);

        Assert.Equal(json, fromBytes.ToString());
        Assert.Same(fromBytes.ToString(), fromBytes.ToString()); // decoded once
        Assert.Equal(fromText, fromBytes);
        Assert.Equal(fromText.GetHashCode(), fromBytes.GetHashCode());
        Assert.Equal(Encoding.UTF8.GetByteCount(json), fromBytes.Length);
        Assert.True(fromBytes.Utf8.SequenceEqual(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void DifferentDocuments_AreNotEqual_AndSpanCopiesDoNotShareTheCallersBuffer()
    {
        var buffer = "{\"a\":1}"u8.ToArray();
        var copy = JsonText.FromUtf8(buffer.AsSpan());
        buffer[5] = (byte)'2';

        Assert.Equal("{\"a\":1}", copy.ToString());
        Assert.NotEqual(copy, JsonText.FromUtf8(buffer));
        Assert.False(copy.Equals(null));
        Assert.Equal("{}", JsonText.EmptyObject.ToString());
    }

    [Fact]
    public void ALoneSurrogate_BecomesTheReplacementCharacter_AsTheStoreWouldKeepIt()
    {
        Assert.Equal("\"a\ufffdb\"", JsonText.From("\"a\ud800b\"").ToString());
    }
}
