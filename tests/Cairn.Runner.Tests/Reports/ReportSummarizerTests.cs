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

    [Fact]
    public void JUnit_test_cases_carry_name_prefix_suite_status_duration_and_the_failure_message()
    {
        Write("junit.xml", """
            <testsuites><testsuite name="calc">
              <testcase classname="com.example.Calc" name="adds" time="0.25"/>
              <testcase classname="com.example.Calc" name="divides" time="1,500.5"><failure message="expected 2 but was 3">at Calc.java:12</failure></testcase>
              <testcase classname="com.example.Calc" name="crashes"><error message="NullPointerException"/></testcase>
              <testcase name="later"><skipped/></testcase>
            </testsuite></testsuites>
            """);

        var summary = ReportSummarizer.Summarize(_root, new ReportSpec("unit", ["junit.xml"]));

        Assert.Equal(
            [("adds", "com.example.Calc", "SUCCEEDED"), ("divides", "com.example.Calc", "FAILED"), ("crashes", "com.example.Calc", "ERROR"), ("later", "", "SKIPPED")],
            summary.Cases.Select(c => (c.Name, c.Prefix, c.Status)));
        Assert.Equal(250_000_000, summary.Cases[0].DurationInNanoSeconds);
        Assert.Equal(1_500_500_000_000, summary.Cases[1].DurationInNanoSeconds);
        Assert.Equal("expected 2 but was 3\nat Calc.java:12", summary.Cases[1].Message);
        Assert.Equal("NullPointerException", summary.Cases[2].Message);
        Assert.Null(summary.Cases[0].Message);
        Assert.Equal("calc", summary.Cases[0].TestSuiteName);
        Assert.Equal("FAILED", summary.Status);
        Assert.Equal(1, summary.StatusCounts["ERROR"]);
        Assert.Equal(summary.Cases.Sum(c => c.DurationInNanoSeconds), summary.DurationInNanoSeconds);
    }

    [Fact]
    public void Cucumber_scenarios_take_the_feature_as_prefix_the_steps_durations_and_the_failing_steps_message()
    {
        Write("c.json", """
            [{"name":"Login","elements":[
              {"name":"signs in","steps":[{"result":{"status":"passed","duration":1000}},{"result":{"status":"passed","duration":500}}]},
              {"name":"locks out","steps":[{"result":{"status":"passed","duration":10}},{"result":{"status":"failed","duration":20,"error_message":"expected locked"}}]}]}]
            """);

        var summary = ReportSummarizer.Summarize(_root, new ReportSpec("f", ["c.json"], FileFormat: "CUCUMBERJSON"));

        Assert.Equal([("Login", "signs in", "SUCCEEDED", 1500L, (string?)null), ("Login", "locks out", "FAILED", 30L, "expected locked")],
            summary.Cases.Select(c => (c.Prefix, c.Name, c.Status, c.DurationInNanoSeconds, c.Message)));
    }

    [Fact]
    public void A_file_broken_half_way_adds_no_test_cases_and_makes_the_report_incomplete()
    {
        Write("r/good.xml", """<testsuite><testcase name="a"/></testsuite>""");
        Write("r/bad.xml", """<testsuite><testcase name="b"/><testcase""");

        var summary = ReportSummarizer.Summarize(_root, new ReportSpec("g", ["r/*.xml"]));

        Assert.Equal(["a"], summary.Cases.Select(c => c.Name));
        Assert.Equal("INCOMPLETE", summary.Status);
        Assert.Contains("bad.xml: not a valid JUNITXML report", Assert.Single(summary.Problems), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
