package io.netform.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.file.Files;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.LoggerFactory;

/**
 * A green run reads green: the errors tests provoke on purpose are in the test log, not on the console.
 * Where surefire routes the log (pom.xml); a run from an IDE logs to the console.
 */
@EnabledIfSystemProperty(named = "netform.test.log.appender", matches = "FILE")
class TestLogTest {

  static Logger root() {
    return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  static boolean logged(String text) throws Exception {
    return Files.isRegularFile(TestLog.file()) && Files.readString(TestLog.file()).contains(text);
  }

  @Test
  void logLinesGoToTheFileAndNotToTheConsole() throws Exception {
    String marker = "provoked on purpose " + UUID.randomUUID();
    LoggerFactory.getLogger("io.netform.agent.Reconciler").error(marker);
    assertTrue(logged(marker), "not in " + TestLog.file().toAbsolutePath());
    root().iteratorForAppenders().forEachRemaining(a ->
        assertFalse(a instanceof ConsoleAppender, "a console appender: " + a.getName()));
  }

  @Test
  void restoringTheConfigurationKeepsWhatTheRunLoggedSoFar() throws Exception {
    String before = "before the reconfiguration " + UUID.randomUUID();
    LoggerFactory.getLogger("io.netform.agent.Reconciler").warn(before);
    TestLog.restoreConfiguration();
    String after = "after the reconfiguration " + UUID.randomUUID();
    LoggerFactory.getLogger("io.netform.agent.Reconciler").warn(after);
    assertTrue(logged(before), "the run's earlier lines were lost");
    assertTrue(logged(after), "nothing logged after the reconfiguration");
  }
}
