package io.netform.cli;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.NetworkMode;
import io.netform.dns.NameService;
import io.netform.kernel.netns.NetnsHandle;
import io.netform.kernel.sandbox.Sandbox;
import io.netform.names.NameScope;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The names part of a sandbox's report: the embedded DNS started on the sandbox, and from each
 * container on a network with names a real query to 127.0.0.11 for every container name and alias
 * of the desired state. A name the container does not share is forwarded and finds nothing (the
 * sandbox's world serves no names), so every query of one container is sent at once and those
 * without an answer in a short wait count as not found.
 */
final class SandboxNames {

  private static final long WAIT_MILLIS = 400;
  private static final int MAX_CONTAINERS = 8;

  private SandboxNames() {}

  static String of(Sandbox sandbox, DesiredState desired) {
    List<String> askers = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (Container c : desired.containers().values()) {
      if (!(c.mode() instanceof NetworkMode.Own) || c.namespacePath().isPresent()) {
        continue;
      }
      names.add(c.name());
      c.attachments().forEach(a -> names.addAll(a.aliases()));
      c.names().links().forEach(l -> names.add(l.alias()));
      if (c.attachments().stream().map(Attachment::network).map(desired.networks()::get)
          .anyMatch(n -> n != null && NameScope.servesNames(desired, n))) {
        askers.add(c.name());
      }
    }
    if (askers.isEmpty() || askers.size() > MAX_CONTAINERS) {
      return askers.isEmpty() ? "" : "\n(names report skipped: more than " + MAX_CONTAINERS + " containers)\n";
    }
    StringBuilder sb = new StringBuilder("\nNames in the sandbox (DNS queries to " + NameScope.SERVER_ADDRESS
        + " from each container; the default network has none):\n");
    int width = askers.stream().mapToInt(String::length).max().orElse(5) + 2;
    try (NameService service = NameService.start(sandbox.host())) {
      for (String asker : askers) {
        Map<String, String> found;
        try (NetnsHandle ns = NetnsHandle.open(asker, sandbox.host().namespaces().path(asker))) {
          found = ns.call(() -> ask(List.copyOf(names)));
        }
        List<String> not = names.stream().filter(n -> !found.containsKey(n)).toList();
        sb.append("  ").append(asker).append(" ".repeat(width - asker.length())).append("-> ");
        List<String> parts = new ArrayList<>();
        found.forEach((name, ip) -> parts.add(name + " " + ip));
        sb.append(parts.isEmpty() ? "nothing" : String.join(", ", parts));
        sb.append(not.isEmpty() ? "" : "; not: " + String.join(", ", not)).append('\n');
      }
    } catch (IOException | RuntimeException e) {
      sb.append("  (could not serve names in the sandbox: ").append(e.getMessage()).append(")\n");
    }
    return sb.toString();
  }

  /** Every name asked at once from the calling thread's namespace: name → its addresses (a/b), in the order asked. */
  private static Map<String, String> ask(List<String> names) throws IOException {
    Map<Integer, String> byId = new HashMap<>();
    Map<String, String> answers = new HashMap<>();
    try (DatagramChannel ch = DatagramChannel.open(); Selector selector = Selector.open()) {
      ch.connect(new InetSocketAddress(NameScope.SERVER_ADDRESS, 53));
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ);
      for (String name : names) {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN));
        byId.put(q.getHeader().getID(), name);
        ch.write(ByteBuffer.wrap(q.toWire()));
      }
      long deadline = System.currentTimeMillis() + WAIT_MILLIS;
      ByteBuffer buf = ByteBuffer.allocate(4096);
      while (answers.size() < names.size() && System.currentTimeMillis() < deadline) {
        selector.select(Math.max(1, deadline - System.currentTimeMillis()));
        selector.selectedKeys().clear();
        for (buf.clear(); ch.read(buf) > 0; buf.clear()) {
          Message r = new Message(java.util.Arrays.copyOf(buf.array(), buf.position()));
          String name = byId.get(r.getHeader().getID());
          List<String> ips = r.getSection(Section.ANSWER).stream().filter(ARecord.class::isInstance)
              .map(a -> ((ARecord) a).getAddress().getHostAddress()).toList();
          if (!ips.isEmpty()) {
            answers.put(name, String.join("/", ips));
          }
        }
      }
    }
    Map<String, String> ordered = new LinkedHashMap<>();
    names.stream().filter(answers::containsKey).forEach(n -> ordered.put(n, answers.get(n)));
    return ordered;
  }
}
