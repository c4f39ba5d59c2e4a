package io.netform.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.testing.TestLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogFormatTest {

  @Test
  void jsonLinesCarryTheMessageAndKeyValues() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      LogFormat.useJson();
      LoggerFactory.getLogger("io.netform.agent.Reconciler").atInfo().addKeyValue("event", "change")
          .addKeyValue("kind", "bridge").log("applying ({}): + bridge {}", "test", "nf-x");
    } finally {
      System.setErr(original);
      TestLog.restoreConfiguration();
    }
    String line = captured.toString(StandardCharsets.UTF_8).strip();
    assertTrue(line.startsWith("{") && line.endsWith("}") && !line.contains("\n"), "one JSON object per line: " + line);
    assertTrue(line.contains("\"formattedMessage\":\"applying (test): + bridge nf-x\""), line);
    assertTrue(line.contains("{\"event\":\"change\"}") && line.contains("{\"kind\":\"bridge\"}"), line);
    assertTrue(line.contains("\"level\":\"INFO\""), line);
  }
}
