using Alerts.Core.Matching;

namespace Alerts.UnitTests.Matching;

public sealed class SentencesTests
{
    [Theory]
    [InlineData("Russia ships oil. Iran buys drones.", "Russia ships oil. ")]
    [InlineData("N. Korea sends shells. Russia pays.", "N. Korea sends shells. ")]
    [InlineData("U.S. says Iran sent drones! Moscow denies.", "U.S. says Iran sent drones! ")]
    [InlineData("آیا ایران پهپاد فرستاد؟ روسیه تکذیب کرد.", "آیا ایران پهپاد فرستاد؟ ")]
    [InlineData("北, 러시아에 포탄 제공。 우크라이나 반발.", "北, 러시아에 포탄 제공。 ")]
    [InlineData("러시아산 석유 수입 금지… 이란 핵협상도 난항", "러시아산 석유 수입 금지… ")]
    [InlineData("Первая строка\nвторая строка", "Первая строка\n")]
    [InlineData("A stop after a Persian one؟ and an ASCII one. Then more.", "A stop after a Persian one؟ ")]
    [InlineData("No stop at all", "No stop at all")]
    public void EndOf_FirstSentence_EndsAtItsStopInEveryScript(string text, string first)
    {
        Assert.Equal(first.TrimEnd(' ').Length, Sentences.EndOf(text, 0)); // the stop ends it; the space after starts the next
    }
}
