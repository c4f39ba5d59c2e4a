package io.netform.kernel.netlink;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netform.kernel.KernelTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The agent starts short-lived threads at every reconcile, and each one that talks netlink
 * receives replies. What it takes for receiving must be given back when the receive is over, not
 * when a garbage collection gets round to it: the process's resident memory is the measure.
 */
@KernelTest
class ReceiveMemoryTest {

  private static final int THREADS = 128;

  @Test
  void threadsThatComeAndGoLeaveNoReceiveMemoryBehind() throws Exception {
    dumpOnThreadsOneAfterAnother(8); // classes loaded, code compiled, buffers mapped
    long before = residentKb();
    dumpOnThreadsOneAfterAnother(THREADS);
    long grownKb = residentKb() - before;
    assertTrue(grownKb < 16 * 1024, THREADS + " threads that each dumped links, addresses and routes left "
        + grownKb / 1024 + " MB more resident memory behind");
    assertTrue(ReceiveBuffers.mapped() <= ReceiveBuffers.KEPT, "receive buffers: " + ReceiveBuffers.mapped());
  }

  /** As the namespace hopper and namespace handles do: a fresh thread, a socket, dumps, and the thread ends. */
  private static void dumpOnThreadsOneAfterAnother(int threads) throws InterruptedException {
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        try (NetlinkSocket socket = NetlinkSocket.open()) {
          Rtnl rtnl = new Rtnl(socket);
          rtnl.links();
          rtnl.addresses();
          rtnl.routes();
        }
      });
      t.start();
      t.join();
    }
  }

  private static long residentKb() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
        .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElseThrow();
  }
}
