package io.netform.kernel.apply;

import io.netform.kernel.firewall.FirewallKind;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.sandbox.Sandbox;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh sandbox per test, and the namespaces and sockets a test opens in it, closed after it. */
abstract class InSandbox {

  Sandbox sandbox;
  final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    sandbox = Sandbox.create(Files.createTempDirectory("netform-sandboxes"), firewall());
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    sandbox.close();
  }

  /** The firewall backend the sandbox's rules go to; subclasses run the same tests with another. */
  FirewallKind firewall() {
    return FirewallKind.IPTABLES;
  }

  NetnsHandle ns(String container) {
    NetnsHandle h = NetnsHandle.open(container, sandbox.host().namespaces().path(container));
    open.add(h);
    return h;
  }

  ServerSocket listen(NetnsHandle where, int port) {
    ServerSocket s = where.call(() -> new ServerSocket(port));
    open.add(s);
    return s;
  }
}
