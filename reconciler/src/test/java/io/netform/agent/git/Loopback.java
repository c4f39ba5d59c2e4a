package io.netform.agent.git;

import io.netform.kernel.Namespaces;
import io.netform.kernel.netns.NetnsHandle;
import java.util.concurrent.Callable;

/**
 * Somewhere 127.0.0.1 works. As root the test JVM runs in a fresh network namespace whose
 * loopback is down (src/test/jvm/bin/java), and the kernel tests own that namespace; so the work
 * runs in a namespace of its own with loopback up. Otherwise the host's loopback is used as is.
 * Sockets belong to the namespace of the thread that opens them: open both ends through
 * {@link #call}.
 */
final class Loopback implements AutoCloseable {

  private final Namespaces namespaces;
  private final NetnsHandle box;

  Loopback() throws Exception {
    if ("1".equals(System.getenv("NETFORM_TEST_NETNS"))) {
      namespaces = new Namespaces();
      box = namespaces.create("loopback");
    } else {
      namespaces = null;
      box = null;
    }
  }

  <T> T call(Callable<T> task) throws Exception {
    return box == null ? task.call() : box.call(task);
  }

  @Override
  public void close() {
    if (namespaces != null) {
      namespaces.close();
    }
  }
}
