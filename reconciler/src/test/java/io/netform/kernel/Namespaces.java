package io.netform.kernel;

import io.netform.kernel.netns.NamedNamespaces;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.netlink.Rtnl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Namespaces a test creates in its own directory, all removed on close. */
public final class Namespaces implements AutoCloseable {

  private final NamedNamespaces named;
  private final List<NetnsHandle> handles = new ArrayList<>();
  private final List<String> names = new ArrayList<>();

  public Namespaces() throws java.io.IOException {
    this.named = new NamedNamespaces(Files.createTempDirectory("netform-test-netns"));
  }

  public NamedNamespaces named() {
    return named;
  }

  /** A new namespace with loopback up. */
  public NetnsHandle create(String name) {
    Path p = named.create(name);
    names.add(name);
    NetnsHandle h = NetnsHandle.open(name, p);
    handles.add(h);
    Rtnl r = h.rtnl();
    int lo = r.link("lo").orElseThrow().index();
    r.run(r.setLink(r.batch(), lo, "lo", Optional.empty(), 0, Optional.empty(), Optional.of(true), -1, Optional.empty()));
    return h;
  }

  @Override
  public void close() {
    handles.forEach(NetnsHandle::close);
    names.forEach(named::delete);
    named.unmountDirectory();
    named.dir().toFile().delete();
  }
}
