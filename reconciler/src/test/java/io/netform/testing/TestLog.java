package io.netform.testing;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** Where the tests' log lines go (src/test/resources/logback-test.xml), and how to put logging back after changing it. */
public final class TestLog {

  private TestLog() {}

  /** The log file of this run, as surefire names it (pom.xml). */
  public static Path file() {
    return Path.of(System.getProperty("netform.test.log", "target/test.log"));
  }

  /** Logging as the test configuration sets it up, appending to this run's file rather than emptying it. */
  public static void restoreConfiguration() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    System.setProperty("netform.test.log.append", "true");
    try {
      new ContextInitializer(context).autoConfig();
    } catch (JoranException e) {
      throw new IllegalStateException("logback-test.xml no longer configures", e);
    } finally {
      System.clearProperty("netform.test.log.append");
    }
  }
}
