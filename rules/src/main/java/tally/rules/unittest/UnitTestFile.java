package tally.rules.unittest;

import java.util.List;
import java.util.Map;

/** A promtool rule unit-test file, as written (times in milliseconds; rule files resolved against the file's folder). */
record UnitTestFile(List<String> ruleFiles, long evaluationIntervalMs, List<String> groupEvalOrder, List<TestGroup> tests,
                    boolean fuzzyCompare) {

    record TestGroup(String name, long intervalMs, List<InputSeries> inputSeries, List<AlertTest> alertTests,
                     List<PromqlTest> promqlTests, Map<String, String> externalLabels, String externalURL, long startMs) {}

    record InputSeries(String series, String values) {}

    record AlertTest(long evalTimeMs, String alertname, List<ExpAlert> expAlerts) {}

    record ExpAlert(Map<String, String> labels, Map<String, String> annotations) {}

    record PromqlTest(String expr, long evalTimeMs, List<ExpSample> expSamples) {}

    record ExpSample(String labels, double value, String histogram) {}
}
