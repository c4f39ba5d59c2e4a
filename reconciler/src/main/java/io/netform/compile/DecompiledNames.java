package io.netform.compile;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.Network;
import io.netform.model.KernelObject;
import io.netform.model.NameFileObject;
import io.netform.names.NameRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The name part of {@link Decompiler}: each container's settings and aliases, read back from its
 * name record; and which network is the default one (the network a record marks as without names).
 */
final class DecompiledNames {

  private DecompiledNames() {}

  static void apply(List<KernelObject> all, Map<String, Network> networks, Map<String, Container> containers) {
    Map<String, NameRecord> records = records(all);
    renameToRecorded(records, networks, containers);
    for (Map.Entry<String, NameRecord> r : records.entrySet()) {
      Container c = containers.get(r.getKey());
      if (c == null) {
        continue;
      }
      NameRecord record = r.getValue();
      List<Attachment> attachments = new ArrayList<>();
      for (Attachment a : c.attachments()) {
        List<String> aliases = record.endpoints().stream().filter(e -> e.network().equals(a.network())).findFirst()
            .map(NameRecord.Endpoint::aliases).orElse(List.of());
        attachments.add(new Attachment(a.network(), a.ipv4Address(), a.ipv6Address(), a.macAddress(), aliases,
            a.gwPriority()));
      }
      containers.put(c.name(), c.withAttachments(attachments).withNames(record.settings()));
      record.endpoints().stream().filter(e -> !e.named()).forEach(e -> networks.computeIfPresent(e.network(),
          (name, n) -> n.isDefault() ? n : n.asDefault()));
    }
  }

  /** Each container's name record, by container. */
  static Map<String, NameRecord> records(List<KernelObject> all) {
    Map<String, NameRecord> out = new java.util.LinkedHashMap<>();
    for (KernelObject o : all) {
      if (o instanceof NameFileObject f && f.file() == NameFileObject.Kind.RECORD) {
        out.put(f.container(), NameRecord.parse(f.container(), f.content()));
      }
    }
    return out;
  }

  /**
   * A network the kernel does not name (a macvlan's name is derived from its parent) takes the name
   * its containers' records give it: the record's endpoint with the same address.
   */
  private static void renameToRecorded(Map<String, NameRecord> records, Map<String, Network> networks,
      Map<String, Container> containers) {
    Map<String, String> renamed = new java.util.HashMap<>();
    records.forEach((name, record) -> {
      Container c = containers.get(name);
      for (Attachment a : c == null ? List.<Attachment>of() : c.attachments()) {
        record.endpoints().stream().filter(e -> e.ipv4().equals(a.ipv4Address())).findFirst()
            .filter(e -> !e.network().equals(a.network()) && !networks.containsKey(e.network()))
            .ifPresent(e -> renamed.putIfAbsent(a.network(), e.network()));
      }
    });
    if (renamed.isEmpty()) {
      return;
    }
    Map<String, Network> copy = new java.util.LinkedHashMap<>(networks);
    networks.clear();
    copy.forEach((name, n) -> {
      String to = renamed.getOrDefault(name, name);
      networks.put(to, to.equals(name) ? n : n.renamed(to));
    });
    containers.replaceAll((name, c) -> c.withAttachments(c.attachments().stream().map(a -> new Attachment(
        renamed.getOrDefault(a.network(), a.network()), a.ipv4Address(), a.ipv6Address(), a.macAddress(), a.aliases(),
        a.gwPriority())).toList()));
  }

}
