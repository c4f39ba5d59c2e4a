package io.netform.kernel;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Lets kernel tests run only inside the test run's own namespace; see {@link KernelTest}. */
public final class KernelTestCondition implements ExecutionCondition {

  private static boolean warned;

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if ("1".equals(System.getenv("NETFORM_TEST_NETNS"))) {
      return ConditionEvaluationResult.enabled("inside a private network namespace");
    }
    String why = "not root or no unshare: the test JVM is not in a private network namespace";
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("kernel tests must run on CI, but " + why
          + " (run as root with util-linux's unshare installed)");
    }
    synchronized (KernelTestCondition.class) {
      if (!warned) {
        warned = true;
        System.err.println("\n*** KERNEL TESTS SKIPPED: " + why + ". Run 'sudo mvn -B test' to run them. ***\n");
      }
    }
    return ConditionEvaluationResult.disabled("KERNEL TEST SKIPPED: " + why);
  }
}
