using Otklik.Core.Text;

namespace Otklik.Core.Tests.Text;

public sealed class NormalizedTextTests
{
    [Theory]
    [InlineData("трещиной", "трещин")]
    [InlineData("трещины", "трещин")]
    [InlineData("пришёл", "пришел")]
    [InlineData("заказы", "заказ")]
    [InlineData("заказов", "заказ")]
    [InlineData("доставили", "достав")]
    [InlineData("красивейший", "красив")]
    public void RussianStemmer_ReducesInflections(string word, string stem) =>
        Assert.Equal(stem, RussianStemmer.Stem(word.Replace('ё', 'е')));

    [Fact]
    public void From_FoldsCaseYoAndPunctuation_SoTheFingerprintMatches()
    {
        var a = NormalizedText.From("Чайник ПРИШЁЛ с трещиной!!!");
        var b = NormalizedText.From("чайник пришел, с трещиной.");
        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.NotEqual(0UL, a.Fingerprint);
    }

    [Fact]
    public void SimilarityTo_InflectedRewording_IsHigh_UnrelatedText_IsLow()
    {
        var first = NormalizedText.From("Чайник пришёл с трещиной на корпусе, прошу замену");
        var again = NormalizedText.From("Опять пишу: чайник с трещиной корпуса, прошу заменить");
        var other = NormalizedText.From("Не могу войти в аккаунт, не приходит код подтверждения");
        Assert.True(again.SimilarityTo(first.StemsJoined) >= 0.5, again.SimilarityTo(first.StemsJoined).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(other.SimilarityTo(first.StemsJoined) < 0.2);
    }

    [Fact]
    public void From_CountsLettersAndWords()
    {
        var t = NormalizedText.From("12345 !!! ???");
        Assert.Equal(0, t.LetterCount);
        Assert.Equal(0, t.WordCount);
        Assert.Equal(0UL, t.Fingerprint);
        var r = NormalizedText.From("аааааааааааааааааааа");
        Assert.Equal(20, r.LetterCount);
        Assert.Equal(1, r.DistinctLetters);
    }
}
