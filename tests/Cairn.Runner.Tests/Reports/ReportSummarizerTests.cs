using Cairn.Runner.Reports;

namespace Cairn.Runner.Tests.Reports;

public sealed class ReportSummarizerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cairn-reports-").FullName;

    private void Write(string name, string content)
    {
        var path = Path.Combine(_root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    [Fact]
    public void JUnit_files_are_summed_across_a_glob()
    {
        Write("reports/a.xml", """<testsuite><testcase classname="A" name="ok"/><testcase classname="A" name="bad"><failure message="x"/></testcase></testsuite>""");
        Write("reports/b.xml", """<testsuites><testsuite><testcase name="skip"><skipped/></testcase><testcase name="err"><error/></testcase></testsuite></testsuites>""");

        var summary = ReportSummarizer.Summarize(_root, new ReportSpec("unit", ["reports/*.xml"]));

        Assert.Equal((4, 1, 2, 1), (summary.Total, summary.Passed, summary.Failed, summary.Skipped));
        Assert.Equal(["A.bad", "err"], summary.FailedTests);
        Assert.Empty(summary.Problems);
    }

    [Theory]
    [InlineData("NUNIT3XML", """<test-run><test-case fullname="T.a" result="Passed"/><test-case fullname="T.b" result="Failed"/><test-case fullname="T.c" result="Skipped"/></test-run>""")]
    [InlineData("NUNITXML", """<test-results><test-case name="T.a" executed="True" result="Success"/><test-case name="T.b" executed="True" result="Failure"/><test-case name="T.c" executed="False" result="Ignored"/></test-results>""")]
    [InlineData("TESTNGXML", """<testng-results><test-method name="a" status="PASS"/><test-method name="b" status="FAIL"/><test-method name="c" status="SKIP"/><test-method name="setup" status="PASS" is-config="true"/></testng-results>""")]
    [InlineData("VISUALSTUDIOTRX", """<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results><UnitTestResult testName="a" outcome="Passed"/><UnitTestResult testName="b" outcome="Failed"/><UnitTestResult testName="c" outcome="NotExecuted"/></Results></TestRun>""")]
    [InlineData("CUCUMBERJSON", """[{"elements":[{"name":"a","steps":[{"result":{"status":"passed"}}]},{"name":"b","steps":[{"result":{"status":"failed"}}]},{"name":"c","steps":[{"result":{"status":"skipped"}}]}]}]""")]
    public void Every_test_format_counts_one_pass_one_failure_one_skip(string format, string content)
    {
        Write("r/report.out", content);
        var summary = ReportSummarizer.Summarize(_root, new ReportSpec("g", ["report.out"], "r", format));
        Assert.Equal((3, 1, 1, 1), (summary.Total, summary.Passed, summary.Failed, summary.Skipped));
    }

    [Theory]
    [InlineData("COBERTURAXML", """<coverage lines-covered="75" lines-valid="100"/>""", 75)]
    [InlineData("JACOCOXML", """<report><counter type="LINE" missed="10" covered="30"/></report>""", 75)]
    [InlineData("CLOVERXML", """<coverage><project><metrics statements="8" coveredstatements="2"/></project></coverage>""", 25)]
    [InlineData("SIMPLECOV", """{"metrics":{"covered_lines":1,"total_lines":2}}""", 50)]
    public void Coverage_formats_report_line_coverage(string format, string content, double percent)
    {
        Write("coverage.out", content);
        var summary = ReportSummarizer.Summarize(_root, new ReportSpec("cov", ["coverage.out"], FileFormat: format));
        Assert.Equal(percent, summary.LineCoverage);
    }

    [Fact]
    public void Broken_files_unknown_formats_and_empty_globs_are_reported_not_thrown()
    {
        Write("broken.xml", "<testsuite><testcase");
        Assert.Contains("not a valid JUNITXML report", ReportSummarizer.Summarize(_root, new ReportSpec("g", ["broken.xml"])).Problems.Single(), StringComparison.Ordinal);
        Assert.Contains("unknown file-format", ReportSummarizer.Summarize(_root, new ReportSpec("g", ["*"], FileFormat: "XUNIT")).Problems.Single(), StringComparison.Ordinal);
        Assert.Contains("no report files matched", ReportSummarizer.Summarize(_root, new ReportSpec("g", ["none/*.xml"])).Problems.Single(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
