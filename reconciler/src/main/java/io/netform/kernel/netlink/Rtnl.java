package io.netform.kernel.netlink;

import io.netform.kernel.ffi.Errno;
import io.netform.kernel.ffi.LibC;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Route-netlink operations on one {@link NetlinkSocket} (so in that socket's namespace). Each
 * mutation names itself for errors ({@code EEXIST creating bridge br0: File exists}). Requests
 * can be collected into a {@link Batch} and sent in one system call.
 */
public final class Rtnl {

  private final NetlinkSocket socket;

  public Rtnl(NetlinkSocket socket) {
    this.socket = socket;
  }

  /**
   * A set of acknowledged requests sent together. A request may depend on an earlier one (an
   * alias set by name on a link just created): it is sent only once that one succeeded, so that
   * a creation refused because the name is taken never marks the interface that holds the name.
   */
  public static final class Batch {
    final List<MessageBuilder> messages = new ArrayList<>();
    final List<String> operations = new ArrayList<>();
    /** Per request, the index of the request it depends on, or -1. */
    final List<Integer> after = new ArrayList<>();
    boolean hasDependents;

    Batch add(MessageBuilder m, String operation) {
      return add(m, operation, -1);
    }

    Batch addAfterLast(MessageBuilder m, String operation) {
      hasDependents = true;
      return add(m, operation, messages.size() - 1);
    }

    private Batch add(MessageBuilder m, String operation, int dependsOn) {
      messages.add(m);
      operations.add(operation);
      after.add(dependsOn);
      return this;
    }

    void clear() {
      messages.clear();
      operations.clear();
      after.clear();
      hasDependents = false;
    }

    public int size() {
      return messages.size();
    }
  }

  public Batch batch() {
    return new Batch();
  }

  /** Sends the batch (in two round trips when requests depend on others); throws the first refusal, in request order. */
  public void run(Batch batch) {
    try {
      if (!batch.hasDependents) {
        socket.executeAll(batch.messages, batch.operations);
        return;
      }
      List<Integer> independent = new ArrayList<>();
      List<Integer> dependent = new ArrayList<>();
      for (int i = 0; i < batch.messages.size(); i++) {
        (batch.after.get(i) < 0 ? independent : dependent).add(i);
      }
      NetlinkException[] failures = new NetlinkException[batch.messages.size()];
      send(batch, independent, failures);
      send(batch, dependent.stream().filter(i -> failures[batch.after.get(i)] == null).toList(), failures);
      for (NetlinkException f : failures) {
        if (f != null) {
          throw f;
        }
      }
    } finally {
      batch.clear();
    }
  }

  private void send(Batch batch, List<Integer> indexes, NetlinkException[] failures) {
    NetlinkException[] got = socket.executeEach(indexes.stream().map(batch.messages::get).toList(),
        indexes.stream().map(batch.operations::get).toList());
    for (int i = 0; i < indexes.size(); i++) {
      failures[indexes.get(i)] = got[i];
    }
  }

  private void now(MessageBuilder m, String operation) {
    socket.execute(m, operation);
  }

  // ---- links

  private static MessageBuilder newLink(int flags, int index, boolean up) {
    return MessageBuilder.of(Nl.RTM_NEWLINK, Nl.F_ACK | flags)
        .u8(Nl.AF_UNSPEC).u8(0).u16(0).u32(index).u32(up ? Nl.IFF_UP : 0).u32(up ? Nl.IFF_UP : 0);
  }

  private static MessageBuilder common(MessageBuilder m, String name, int mtu, Optional<MacAddress> mac) {
    m.attrString(Nl.IFLA_IFNAME, name);
    if (mtu > 0) {
      m.attrU32(Nl.IFLA_MTU, mtu);
    }
    mac.ifPresent(a -> m.attr(Nl.IFLA_ADDRESS, a.toBytes()));
    return m;
  }

  /** A change to the link named {@code name}: its IFF_UP set as {@code up} says when {@code setsUp}. */
  private static MessageBuilder byName(String name, boolean setsUp, boolean up) {
    return MessageBuilder.of(Nl.RTM_NEWLINK, Nl.F_ACK).u8(Nl.AF_UNSPEC).u8(0).u16(0).u32(0).u32(setsUp && up ? Nl.IFF_UP : 0)
        .u32(setsUp ? Nl.IFF_UP : 0).attrString(Nl.IFLA_IFNAME, name);
  }

  /**
   * The kernel ignores IFLA_IFALIAS when creating a link, so the alias follows in the same batch,
   * by name, and only if the creation succeeded (see {@link Batch}).
   */
  private static Batch aliasByName(Batch b, String name, Optional<String> alias) {
    alias.ifPresent(a -> b.addAfterLast(byName(name, false, false).attrString(Nl.IFLA_IFALIAS, a), "setting the alias of " + name));
    return b;
  }

  /**
   * A bridge. Its MTU is set once it exists, not given at creation: the kernel keeps adjusting a
   * bridge's MTU to its ports' unless it was set on the bridge itself, and a bridge created with
   * one went back to 1500 when its last port left (Docker sets it afterwards too). Multicast
   * snooping on, the kernel's default.
   */
  public Batch createBridge(Batch b, String name, int mtu, Optional<MacAddress> mac, Optional<String> alias, boolean up) {
    return createBridge(b, name, mtu, mac, alias, up, true);
  }

  /** As {@link #createBridge(Batch, String, int, Optional, Optional, boolean)}, with multicast snooping as given (see {@link #setMulticastSnooping}). */
  public Batch createBridge(Batch b, String name, int mtu, Optional<MacAddress> mac, Optional<String> alias, boolean up,
      boolean multicastSnooping) {
    MessageBuilder m = common(newLink(Nl.F_CREATE | Nl.F_EXCL, 0, up), name, 0, mac);
    bridgeData(m, multicastSnooping);
    b.add(m, "creating bridge " + name);
    boolean setMtu = mtu > 0 && mtu != BRIDGE_DEFAULT_MTU;
    if (setMtu || alias.isPresent()) { // one message, sent only once the creation succeeded
      MessageBuilder then = byName(name, false, false);
      if (setMtu) {
        then.attrU32(Nl.IFLA_MTU, mtu);
      }
      alias.ifPresent(a -> then.attrString(Nl.IFLA_IFALIAS, a));
      b.addAfterLast(then, "setting the MTU and alias of " + name);
    }
    return b;
  }

  /**
   * Turns a bridge's multicast snooping on or off. With it on, every port that comes up makes the
   * bridge re-arm the multicast timers of all its ports, so filling a bridge with a thousand ports
   * costs half a million timer updates: netform makes a new bridge with it off and turns it on (the
   * kernel's default, and Docker's) once the bridge's ports are up, which re-arms each port once.
   */
  public Batch setMulticastSnooping(Batch b, String name, boolean on) {
    return b.add(bridgeData(byName(name, false, false), on), "turning multicast snooping " + (on ? "on" : "off") + " on bridge " + name);
  }

  private static MessageBuilder bridgeData(MessageBuilder m, boolean multicastSnooping) {
    return m.beginNested(Nl.IFLA_LINKINFO).attrString(Nl.IFLA_INFO_KIND, "bridge").beginNested(Nl.IFLA_INFO_DATA)
        .attrU8(Nl.IFLA_BR_MCAST_SNOOPING, multicastSnooping ? 1 : 0).endNested().endNested();
  }

  /** What a new bridge has (Ethernet's) and keeps adjusting to its ports' until an MTU is set on it. */
  private static final int BRIDGE_DEFAULT_MTU = 1500;

  /**
   * A veth pair: {@code name} here (optionally enslaved to {@code masterIndex}), {@code peerName}
   * created directly inside the namespace open at {@code peerNetnsFd} (-1: here).
   */
  public Batch createVeth(Batch b, String name, int mtu, int masterIndex, Optional<String> alias, boolean up,
      String peerName, int peerNetnsFd, Optional<MacAddress> peerMac) {
    MessageBuilder m = singleQueue(common(newLink(Nl.F_CREATE | Nl.F_EXCL, 0, up), name, mtu, Optional.empty()));
    if (masterIndex > 0) {
      m.attrU32(Nl.IFLA_MASTER, masterIndex);
    }
    // The peer cannot come up at creation (veth_open fails with ENOTCONN until the pair is linked).
    vethPeer(m, peerName, mtu, peerMac, peerNetnsFd);
    return aliasByName(b.add(m, "creating veth " + name + " (peer " + peerName + ")"), name, alias);
  }

  /**
   * A container's veth pair, made from its container end: {@code peerName} created inside the
   * namespace open at {@code peerNetnsFd} and up at once (with {@code up}), {@code name} here;
   * then, only once that succeeded, {@code name} enslaved to {@code masterIndex}, marked with
   * {@code alias} and brought up, in one request. A veth's second end cannot come up in the
   * request that creates the pair (the kernel opens it before the two are linked), so the end
   * made second is the host's, which needs a follow-up for its alias anyway: the container end
   * needs no request of its own in its namespace, and the pair's carrier comes on once, when the
   * host end comes up on its bridge. Only where CreateNameLookup.fromContainerEnd says so.
   */
  public Batch createContainerVeth(Batch b, String name, int mtu, int masterIndex, Optional<String> alias, boolean up,
      String peerName, int peerNetnsFd, Optional<MacAddress> peerMac) {
    MessageBuilder m = singleQueue(common(newLink(Nl.F_CREATE | Nl.F_EXCL, 0, up), peerName, mtu, peerMac));
    m.attrU32(Nl.IFLA_NET_NS_FD, peerNetnsFd);
    b.add(vethPeer(m, name, mtu, Optional.empty(), -1), "creating veth " + name + " (peer " + peerName + ")");
    MessageBuilder then = byName(name, true, up);
    if (masterIndex > 0) {
      then.attrU32(Nl.IFLA_MASTER, masterIndex);
    }
    alias.ifPresent(a -> then.attrString(Nl.IFLA_IFALIAS, a));
    return b.addAfterLast(then, "enslaving, marking and bringing up veth " + name);
  }

  /** The veth kind and the pair's other end (its own link message, nested), created in the namespace open at {@code netnsFd} (-1: the first end's). */
  private static MessageBuilder vethPeer(MessageBuilder m, String peerName, int mtu, Optional<MacAddress> mac, int netnsFd) {
    m.beginNested(Nl.IFLA_LINKINFO).attrString(Nl.IFLA_INFO_KIND, "veth").beginNested(Nl.IFLA_INFO_DATA)
        .beginNested(Nl.VETH_INFO_PEER).u8(Nl.AF_UNSPEC).u8(0).u16(0).u32(0).u32(0).u32(0);
    singleQueue(common(m, peerName, mtu, mac));
    if (netnsFd >= 0) {
      m.attrU32(Nl.IFLA_NET_NS_FD, netnsFd);
    }
    return m.endNested().endNested().endNested();
  }

  /**
   * One transmit and one receive queue, said at creation. A veth otherwise gets one queue per
   * possible CPU and is cut down to one right after it is registered, and that cut waits for an
   * RCU grace period while holding the RTNL lock: about a third of a veth's creation time. The
   * device ends up the same (one queue in use) either way.
   */
  private static MessageBuilder singleQueue(MessageBuilder m) {
    return m.attrU32(Nl.IFLA_NUM_TX_QUEUES, 1).attrU32(Nl.IFLA_NUM_RX_QUEUES, 1);
  }

  /** A macvlan in bridge mode on {@code parentIndex}, moved at creation into the namespace at {@code netnsFd} (-1: here). */
  public Batch createMacvlan(Batch b, String name, int parentIndex, int mtu, Optional<MacAddress> mac, int netnsFd,
      Optional<String> alias) {
    MessageBuilder m = common(newLink(Nl.F_CREATE | Nl.F_EXCL, 0, false), name, mtu, mac);
    m.attrU32(Nl.IFLA_LINK, parentIndex);
    if (netnsFd >= 0) {
      m.attrU32(Nl.IFLA_NET_NS_FD, netnsFd);
    }
    m.beginNested(Nl.IFLA_LINKINFO).attrString(Nl.IFLA_INFO_KIND, "macvlan").beginNested(Nl.IFLA_INFO_DATA)
        .attrU32(Nl.IFLA_MACVLAN_MODE, Nl.MACVLAN_MODE_BRIDGE).endNested().endNested();
    // Created straight into another namespace, the macvlan cannot be renamed from here: its alias is set there.
    return netnsFd >= 0 ? b.add(m, "creating macvlan " + name) : aliasByName(b.add(m, "creating macvlan " + name), name, alias);
  }

  /** A VXLAN device: VNI, optional local address, underlay device, UDP port, learning off (entries come from the FDB). */
  public Batch createVxlan(Batch b, String name, int vni, Optional<IpAddress> local, int underlayIndex, int port, int mtu,
      Optional<String> alias) {
    MessageBuilder m = common(newLink(Nl.F_CREATE | Nl.F_EXCL, 0, false), name, mtu, Optional.empty());
    m.beginNested(Nl.IFLA_LINKINFO).attrString(Nl.IFLA_INFO_KIND, "vxlan").beginNested(Nl.IFLA_INFO_DATA)
        .attrU32(Nl.IFLA_VXLAN_ID, vni);
    local.ifPresent(ip -> m.attr(Nl.IFLA_VXLAN_LOCAL, ip.toBytes()));
    if (underlayIndex > 0) {
      m.attrU32(Nl.IFLA_VXLAN_LINK, underlayIndex);
    }
    m.attrBe16(Nl.IFLA_VXLAN_PORT, port).attrU8(Nl.IFLA_VXLAN_LEARNING, 0).endNested().endNested();
    return aliasByName(b.add(m, "creating vxlan " + name), name, alias);
  }

  /**
   * A VXLAN device created by this namespace straight into the namespace open at {@code netnsFd}:
   * its UDP socket stays here (where the device was made) while the device lives there, as
   * Docker's overlay has it. No learning; with {@code proxy} it answers ARP from its neighbour
   * table. Made down: its alias and master are set in its namespace.
   */
  public Batch createVxlanInto(Batch b, String name, int vni, int port, int mtu, int netnsFd, boolean proxy) {
    MessageBuilder m = common(newLink(Nl.F_CREATE | Nl.F_EXCL, 0, false), name, mtu, Optional.empty());
    m.attrU32(Nl.IFLA_NET_NS_FD, netnsFd);
    m.beginNested(Nl.IFLA_LINKINFO).attrString(Nl.IFLA_INFO_KIND, "vxlan").beginNested(Nl.IFLA_INFO_DATA)
        .attrU32(Nl.IFLA_VXLAN_ID, vni).attrBe16(Nl.IFLA_VXLAN_PORT, port).attrU8(Nl.IFLA_VXLAN_LEARNING, 0)
        .attrU8(Nl.IFLA_VXLAN_PROXY, proxy ? 1 : 0).endNested().endNested();
    return b.add(m, "creating vxlan " + name + " (VXLAN id " + vni + ")");
  }

  /** A VXLAN device's id and UDP port, from its link data; empty when {@code name} is no VXLAN device. */
  public Optional<int[]> vxlanIdAndPort(String name) {
    MessageBuilder req = MessageBuilder.of(Nl.RTM_GETLINK, 0).u8(Nl.AF_UNSPEC).u8(0).u16(0).u32(0).u32(0).u32(0)
        .attrU32(Nl.IFLA_EXT_MASK, Nl.RTEXT_FILTER_SKIP_STATS).attrString(Nl.IFLA_IFNAME, name);
    Message m;
    try {
      m = socket.get(req, "reading vxlan " + name);
    } catch (NetlinkException e) {
      if (e.errno() == Errno.ENODEV) {
        return Optional.empty();
      }
      throw e;
    }
    Map<Integer, byte[]> info = Message.nested(m.attributes(16).get(Nl.IFLA_LINKINFO));
    if (!"vxlan".equals(Message.string(info.get(Nl.IFLA_INFO_KIND)))) {
      return Optional.empty();
    }
    Map<Integer, byte[]> data = Message.nested(info.get(Nl.IFLA_INFO_DATA));
    byte[] id = data.get(Nl.IFLA_VXLAN_ID);
    byte[] port = data.get(Nl.IFLA_VXLAN_PORT);
    return id == null || port == null ? Optional.empty()
        : Optional.of(new int[] {Message.u32(id), ((port[0] & 0xff) << 8) | (port[1] & 0xff)});
  }

  /** Changes attributes of an existing link in place; absent values are left alone. */
  public Batch setLink(Batch b, int index, String what, Optional<String> rename, int mtu, Optional<MacAddress> mac,
      Optional<Boolean> up, int masterIndex, Optional<String> alias) {
    boolean setUp = up.orElse(false);
    MessageBuilder m = MessageBuilder.of(Nl.RTM_NEWLINK, Nl.F_ACK)
        .u8(Nl.AF_UNSPEC).u8(0).u16(0).u32(index).u32(setUp ? Nl.IFF_UP : 0).u32(up.isPresent() ? Nl.IFF_UP : 0);
    rename.ifPresent(n -> m.attrString(Nl.IFLA_IFNAME, n));
    if (mtu > 0) {
      m.attrU32(Nl.IFLA_MTU, mtu);
    }
    mac.ifPresent(a -> m.attr(Nl.IFLA_ADDRESS, a.toBytes()));
    if (masterIndex >= 0) {
      m.attrU32(Nl.IFLA_MASTER, masterIndex);
    }
    alias.ifPresent(a -> m.attrString(Nl.IFLA_IFALIAS, a));
    return b.add(m, "changing " + what);
  }

  /** Moves a link into the namespace open at {@code netnsFd}. */
  public Batch moveLink(Batch b, int index, String what, int netnsFd) {
    MessageBuilder m = MessageBuilder.of(Nl.RTM_NEWLINK, Nl.F_ACK)
        .u8(Nl.AF_UNSPEC).u8(0).u16(0).u32(index).u32(0).u32(0).attrU32(Nl.IFLA_NET_NS_FD, netnsFd);
    return b.add(m, "moving " + what + " to another namespace");
  }

  public Batch deleteLink(Batch b, int index, String what) {
    MessageBuilder m = MessageBuilder.of(Nl.RTM_DELLINK, Nl.F_ACK).u8(Nl.AF_UNSPEC).u8(0).u16(0).u32(index).u32(0).u32(0);
    return b.add(m, "deleting " + what);
  }

  public Batch deleteLinkByName(Batch b, String name) {
    MessageBuilder m = MessageBuilder.of(Nl.RTM_DELLINK, Nl.F_ACK).u8(Nl.AF_UNSPEC).u8(0).u16(0).u32(0).u32(0).u32(0)
        .attrString(Nl.IFLA_IFNAME, name);
    return b.add(m, "deleting link " + name);
  }

  public List<LinkInfo> links() {
    List<LinkInfo> out = new ArrayList<>();
    // Statistics are most of a link message and netform never reads them.
    MessageBuilder req = MessageBuilder.of(Nl.RTM_GETLINK, Nl.F_DUMP).u8(Nl.AF_UNSPEC).u8(0).u16(0).u32(0).u32(0).u32(0)
        .attrU32(Nl.IFLA_EXT_MASK, Nl.RTEXT_FILTER_SKIP_STATS);
    for (Message m : socket.dump(req, "listing links")) {
      parseLink(m).ifPresent(out::add);
    }
    return out;
  }

  /**
   * A link as a dump or a notification (RTM_NEWLINK, RTM_DELLINK) describes it. Bridge-port
   * notifications (family AF_BRIDGE: a port's state changed, a port left its bridge) describe the
   * port, not the link, and lack most attributes: they are not links.
   */
  public static Optional<LinkInfo> parseLink(Message m) {
    if ((m.type() != Nl.RTM_NEWLINK && m.type() != Nl.RTM_DELLINK) || m.u8(0) != Nl.AF_UNSPEC) {
      return Optional.empty();
    }
    Map<Integer, byte[]> a = m.attributes(16);
    Map<Integer, byte[]> info = Message.nested(a.get(Nl.IFLA_LINKINFO));
    byte[] mac = a.get(Nl.IFLA_ADDRESS);
    return Optional.of(new LinkInfo(m.i32(4), Message.string(a.get(Nl.IFLA_IFNAME)),
        Optional.ofNullable(Message.string(info.get(Nl.IFLA_INFO_KIND))).orElse(""),
        a.containsKey(Nl.IFLA_MTU) ? Message.u32(a.get(Nl.IFLA_MTU)) : 0,
        mac != null && mac.length == 6 ? Optional.of(MacAddress.fromBytes(mac)) : Optional.empty(),
        (m.i32(8) & Nl.IFF_UP) != 0,
        a.containsKey(Nl.IFLA_MASTER) ? Message.u32(a.get(Nl.IFLA_MASTER)) : 0,
        Optional.ofNullable(Message.string(a.get(Nl.IFLA_IFALIAS))).filter(s -> !s.isEmpty()),
        a.containsKey(Nl.IFLA_LINK) ? Message.u32(a.get(Nl.IFLA_LINK)) : 0,
        a.containsKey(Nl.IFLA_LINK_NETNSID) ? Message.u32(a.get(Nl.IFLA_LINK_NETNSID)) : -1,
        hairpin(info), ipv6Enabled(a), multicastSnooping(info)));
  }

  /** A bridge's multicast snooping, from its data (IFLA_INFO_DATA); true where there is none to read. */
  private static boolean multicastSnooping(Map<Integer, byte[]> linkInfo) {
    byte[] on = Message.nested(linkInfo.get(Nl.IFLA_INFO_DATA)).get(Nl.IFLA_BR_MCAST_SNOOPING);
    return on == null || on.length == 0 || on[0] != 0 || !"bridge".equals(Message.string(linkInfo.get(Nl.IFLA_INFO_KIND)));
  }

  /**
   * Whether IPv6 is enabled on a link, from its IPv6 sysctls in the dump (disable_ipv6 is 0):
   * read with the link, so observing it costs no file read per interface. A link without them
   * (no IPv6 in the kernel) has none.
   */
  static boolean ipv6Enabled(Map<Integer, byte[]> linkAttributes) {
    Map<Integer, byte[]> inet6 = Message.nested(Message.nested(linkAttributes.get(Nl.IFLA_AF_SPEC)).get(Nl.AF_INET6));
    byte[] conf = inet6.get(Nl.IFLA_INET6_CONF);
    int at = Nl.DEVCONF_DISABLE_IPV6 * 4;
    return conf != null && conf.length >= at + 4 && (conf[at] | conf[at + 1] | conf[at + 2] | conf[at + 3]) == 0;
  }

  /** A bridge port's hairpin mode, from the bridge's data about its port (IFLA_INFO_SLAVE_DATA). */
  private static boolean hairpin(Map<Integer, byte[]> linkInfo) {
    byte[] mode = Message.nested(linkInfo.get(Nl.IFLA_INFO_SLAVE_DATA)).get(Nl.IFLA_BRPORT_MODE);
    return mode != null && mode.length > 0 && mode[0] != 0;
  }

  /** Turns a bridge port's hairpin mode on or off, the port found by name. */
  public Batch setHairpin(Batch b, String name, boolean on) {
    MessageBuilder m = byName(name, false, false);
    m.beginNested(Nl.IFLA_LINKINFO).beginNested(Nl.IFLA_INFO_SLAVE_DATA).attrU8(Nl.IFLA_BRPORT_MODE, on ? 1 : 0)
        .endNested().endNested();
    return b.add(m, "turning hairpin mode " + (on ? "on" : "off") + " on " + name);
  }

  public Optional<LinkInfo> link(String name) {
    return links().stream().filter(l -> l.name().equals(name)).findFirst();
  }

  /** The index of a link by name in one round trip; empty if there is none. */
  public Optional<Integer> linkIndex(String name) {
    MessageBuilder req = MessageBuilder.of(Nl.RTM_GETLINK, 0).u8(Nl.AF_UNSPEC).u8(0).u16(0).u32(0).u32(0).u32(0)
        .attrString(Nl.IFLA_IFNAME, name);
    try {
      return Optional.of(socket.get(req, "looking up link " + name).i32(4));
    } catch (NetlinkException e) {
      if (e.errno() == io.netform.kernel.ffi.Errno.ENODEV) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Changes a link found by name (index 0 + IFLA_IFNAME): up/down, MTU, MAC, alias. */
  public Batch setLinkByName(Batch b, String name, Optional<Boolean> up, int mtu, Optional<MacAddress> mac,
      Optional<String> alias) {
    MessageBuilder m = byName(name, up.isPresent(), up.orElse(false));
    if (mtu > 0) {
      m.attrU32(Nl.IFLA_MTU, mtu);
    }
    mac.ifPresent(a -> m.attr(Nl.IFLA_ADDRESS, a.toBytes()));
    alias.ifPresent(a -> m.attrString(Nl.IFLA_IFALIAS, a));
    return b.add(m, "changing " + name);
  }

  // ---- addresses

  /**
   * IPv6 addresses are added without duplicate address detection (as Docker adds its containers'),
   * so they are usable when the apply returns instead of "tentative" for a second or two. netform
   * allocates them from its own subnets, so a duplicate would be a bug of its own, not a neighbour's.
   */
  private static MessageBuilder addressMessage(int type, int flags, int index, Cidr address) {
    boolean v4 = address.address().isV4();
    MessageBuilder m = MessageBuilder.of(type, Nl.F_ACK | flags)
        .u8(v4 ? Nl.AF_INET : Nl.AF_INET6).u8(address.prefix()).u8(v4 ? 0 : Nl.IFA_F_NODAD).u8(Nl.RT_SCOPE_UNIVERSE)
        .u32(index);
    m.attr(Nl.IFA_LOCAL, address.address().toBytes());
    m.attr(Nl.IFA_ADDRESS, address.address().toBytes());
    return m;
  }

  public Batch addAddress(Batch b, int index, String device, Cidr address) {
    return b.add(addressMessage(Nl.RTM_NEWADDR, Nl.F_CREATE | Nl.F_EXCL, index, address),
        "adding address " + address + " to " + device);
  }

  public Batch deleteAddress(Batch b, int index, String device, Cidr address) {
    return b.add(addressMessage(Nl.RTM_DELADDR, 0, index, address), "deleting address " + address + " from " + device);
  }

  public List<AddressInfo> addresses() {
    List<AddressInfo> out = new ArrayList<>();
    MessageBuilder req = MessageBuilder.of(Nl.RTM_GETADDR, Nl.F_DUMP).u8(Nl.AF_UNSPEC).u8(0).u8(0).u8(0).u32(0);
    for (Message m : socket.dump(req, "listing addresses")) {
      if (m.type() == Nl.RTM_NEWADDR) {
        parseAddress(m).ifPresent(out::add);
      }
    }
    return out;
  }

  /** An address as a dump or a notification (RTM_NEWADDR, RTM_DELADDR) describes it. */
  public static Optional<AddressInfo> parseAddress(Message m) {
    if (m.type() != Nl.RTM_NEWADDR && m.type() != Nl.RTM_DELADDR) {
      return Optional.empty();
    }
    Map<Integer, byte[]> a = m.attributes(8);
    byte[] ip = a.containsKey(Nl.IFA_LOCAL) ? a.get(Nl.IFA_LOCAL) : a.get(Nl.IFA_ADDRESS);
    if (ip == null || (ip.length != 4 && ip.length != 16)) {
      return Optional.empty();
    }
    return Optional.of(new AddressInfo(m.i32(4), new Cidr(IpAddress.fromBytes(ip), m.u8(1)), m.u8(3)));
  }

  // ---- routes

  private static MessageBuilder routeMessage(int type, int flags, Cidr destination, Optional<IpAddress> gateway, int oif,
      int protocol) {
    boolean v4 = destination.address().isV4();
    MessageBuilder m = MessageBuilder.of(type, Nl.F_ACK | flags)
        .u8(v4 ? Nl.AF_INET : Nl.AF_INET6).u8(destination.prefix()).u8(0).u8(0)
        .u8(Nl.RT_TABLE_MAIN).u8(protocol).u8(gateway.isPresent() ? Nl.RT_SCOPE_UNIVERSE : Nl.RT_SCOPE_LINK)
        .u8(Nl.RTN_UNICAST).u32(0);
    if (destination.prefix() > 0) {
      m.attr(Nl.RTA_DST, destination.network().address().toBytes());
    }
    gateway.ifPresent(g -> m.attr(Nl.RTA_GATEWAY, g.toBytes()));
    if (oif > 0) {
      m.attrU32(Nl.RTA_OIF, oif);
    }
    return m;
  }

  /** Adds or replaces (in place) the route to {@code destination}. */
  public Batch replaceRoute(Batch b, Cidr destination, Optional<IpAddress> gateway, int oif, int protocol) {
    return b.add(routeMessage(Nl.RTM_NEWROUTE, Nl.F_CREATE | Nl.F_REPLACE, destination, gateway, oif, protocol),
        "setting route " + destination + gateway.map(g -> " via " + g).orElse(""));
  }

  public Batch deleteRoute(Batch b, Cidr destination, Optional<IpAddress> gateway, int oif) {
    boolean v4 = destination.address().isV4();
    // Scope "nowhere" and protocol 0 match any route to the destination, as `ip route del` does.
    MessageBuilder m = MessageBuilder.of(Nl.RTM_DELROUTE, Nl.F_ACK)
        .u8(v4 ? Nl.AF_INET : Nl.AF_INET6).u8(destination.prefix()).u8(0).u8(0)
        .u8(Nl.RT_TABLE_MAIN).u8(0).u8(Nl.RT_SCOPE_NOWHERE).u8(Nl.RTN_UNICAST).u32(0);
    if (destination.prefix() > 0) {
      m.attr(Nl.RTA_DST, destination.network().address().toBytes());
    }
    gateway.ifPresent(g -> m.attr(Nl.RTA_GATEWAY, g.toBytes()));
    if (oif > 0) {
      m.attrU32(Nl.RTA_OIF, oif);
    }
    return b.add(m, "deleting route " + destination);
  }

  /**
   * The main table's unicast routes, IPv6 link-local ones (fe80::/10) left out: the kernel makes
   * one per interface with IPv6, a host with a thousand containers has a thousand of them, and
   * nothing netform plans can be in that range (the validator refuses it). Messages are skipped
   * on their headers before their attributes are read.
   */
  public List<RouteInfo> routes() {
    List<RouteInfo> out = new ArrayList<>();
    // With strict checking (set on the socket) the kernel dumps only the main table.
    MessageBuilder req = MessageBuilder.of(Nl.RTM_GETROUTE, Nl.F_DUMP)
        .u8(Nl.AF_UNSPEC).u8(0).u8(0).u8(0).u8(Nl.RT_TABLE_MAIN).u8(0).u8(0).u8(0).u32(0);
    for (Message m : socket.dump(req, "listing routes")) {
      if (m.type() != Nl.RTM_NEWROUTE || m.u8(7) != Nl.RTN_UNICAST || linkLocalV6(m)) {
        continue;
      }
      Map<Integer, byte[]> a = m.attributes(12);
      int table = a.containsKey(Nl.RTA_TABLE) ? Message.u32(a.get(Nl.RTA_TABLE)) : m.u8(4);
      if (table != Nl.RT_TABLE_MAIN) {
        continue;
      }
      int family = m.u8(0);
      int prefix = m.u8(1);
      IpAddress dst = a.containsKey(Nl.RTA_DST) ? IpAddress.fromBytes(a.get(Nl.RTA_DST))
          : IpAddress.fromBytes(new byte[family == Nl.AF_INET ? 4 : 16]);
      Optional<IpAddress> gw = Optional.ofNullable(a.get(Nl.RTA_GATEWAY)).map(IpAddress::fromBytes);
      out.add(new RouteInfo(new Cidr(dst, prefix), gw, a.containsKey(Nl.RTA_OIF) ? Message.u32(a.get(Nl.RTA_OIF)) : 0,
          m.u8(5), m.u8(6), a.containsKey(Nl.RTA_PRIORITY) ? Message.u32(a.get(Nl.RTA_PRIORITY)) : 0));
    }
    return out;
  }

  /** An IPv6 route into fe80::/10. */
  private static boolean linkLocalV6(Message route) {
    if (route.u8(0) != Nl.AF_INET6 || route.u8(1) < 10) {
      return false;
    }
    int dst = route.attributeAt(12, Nl.RTA_DST);
    return dst >= 0 && route.u8(dst) == 0xfe && (route.u8(dst + 1) & 0xc0) == 0x80;
  }

  // ---- namespace ids

  /**
   * The id this namespace gives the namespace open at {@code fd}, assigned first if it has none
   * (the kernel delivers another namespace's events to a listening socket only once it has an
   * id here); -1 if none can be had. Only for netform's own namespaces: an id is a change.
   */
  public int namespaceId(int fd) {
    int id = currentNamespaceId(fd);
    if (id >= 0) {
      return id;
    }
    try {
      socket.execute(assignId(fd), "assigning a namespace id");
    } catch (NetlinkException e) {
      if (e.errno() != Errno.EEXIST) { // assigned meanwhile by someone else
        return -1;
      }
    }
    return currentNamespaceId(fd);
  }

  /** Assigns ids to namespaces that have none yet (freshly created ones), in one batch. */
  public void assignNamespaceIds(List<Integer> fds) {
    Batch b = batch();
    for (int fd : fds) {
      b.add(assignId(fd), "assigning a namespace id");
    }
    try {
      run(b);
    } catch (NetlinkException e) {
      if (e.errno() != Errno.EEXIST) {
        throw e;
      }
      fds.forEach(this::namespaceId); // one got an id meanwhile: settle them one by one
    }
  }

  /** RTM_NEWNSID for the namespace open at {@code fd}, the id left to the kernel to choose. */
  private static MessageBuilder assignId(int fd) {
    return MessageBuilder.of(Nl.RTM_NEWNSID, Nl.F_ACK).u8(Nl.AF_UNSPEC).u8(0).u16(0).attrU32(Nl.NETNSA_FD, fd)
        .attrU32(Nl.NETNSA_NSID, -1);
  }

  /** The id this namespace gives the namespace mounted at {@code path}; -1 if it has none or cannot be opened. */
  public int currentNamespaceId(Path path) {
    LibC libc = LibC.get();
    int fd = libc.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
    if (fd < 0) {
      return -1;
    }
    try {
      return currentNamespaceId(fd);
    } finally {
      libc.close(fd);
    }
  }

  /** The id this namespace gives the namespace open at {@code fd}; -1 if it has none. */
  public int currentNamespaceId(int fd) {
    Message m = socket.get(MessageBuilder.of(Nl.RTM_GETNSID, 0).u8(Nl.AF_UNSPEC).u8(0).u16(0).attrU32(Nl.NETNSA_FD, fd),
        "reading a namespace id");
    byte[] id = m.attributes(4).get(Nl.NETNSA_NSID);
    return id == null ? -1 : Message.u32(id);
  }

  // ---- neighbours and forwarding database

  private static MessageBuilder neighbourMessage(int type, int flags, int family, int index, Optional<IpAddress> dst,
      MacAddress lladdr, int ntfFlags) {
    MessageBuilder m = MessageBuilder.of(type, Nl.F_ACK | flags)
        .u8(family).u8(0).u16(0).u32(index).u16(Nl.NUD_PERMANENT).u8(ntfFlags).u8(0);
    dst.ifPresent(d -> m.attr(Nl.NDA_DST, d.toBytes()));
    m.attr(Nl.NDA_LLADDR, lladdr.toBytes());
    return m;
  }

  /** A permanent FDB entry on a bridge port or VXLAN device: MAC → (for VXLAN) the remote underlay address. */
  public Batch addFdb(Batch b, int index, MacAddress mac, Optional<IpAddress> remote) {
    return b.add(neighbourMessage(Nl.RTM_NEWNEIGH, Nl.F_CREATE | Nl.F_APPEND, Nl.AF_BRIDGE, index, remote, mac, Nl.NTF_SELF),
        "adding fdb entry " + mac + remote.map(r -> " dst " + r).orElse(""));
  }

  /** As above, at the remote's own VXLAN {@code port} (NDA_PORT) when it differs from the device's. */
  public Batch addFdb(Batch b, int index, MacAddress mac, IpAddress remote, Optional<Integer> port) {
    MessageBuilder m = neighbourMessage(Nl.RTM_NEWNEIGH, Nl.F_CREATE | Nl.F_APPEND, Nl.AF_BRIDGE, index, Optional.of(remote),
        mac, Nl.NTF_SELF);
    port.ifPresent(p -> m.attrBe16(Nl.NDA_PORT, p));
    return b.add(m, "adding fdb entry " + mac + " dst " + remote + port.map(p -> " port " + p).orElse(""));
  }

  public Batch deleteFdb(Batch b, int index, MacAddress mac, Optional<IpAddress> remote) {
    return b.add(neighbourMessage(Nl.RTM_DELNEIGH, 0, Nl.AF_BRIDGE, index, remote, mac, Nl.NTF_SELF),
        "deleting fdb entry " + mac);
  }

  /** A permanent ARP/NDP entry. */
  public Batch addNeighbour(Batch b, int index, IpAddress ip, MacAddress mac) {
    return b.add(neighbourMessage(Nl.RTM_NEWNEIGH, Nl.F_CREATE | Nl.F_REPLACE, ip.isV4() ? Nl.AF_INET : Nl.AF_INET6, index,
        Optional.of(ip), mac, 0), "adding neighbour " + ip);
  }

  public Batch deleteNeighbour(Batch b, int index, IpAddress ip, MacAddress mac) {
    return b.add(neighbourMessage(Nl.RTM_DELNEIGH, 0, ip.isV4() ? Nl.AF_INET : Nl.AF_INET6, index, Optional.of(ip), mac, 0),
        "deleting neighbour " + ip);
  }

  public List<NeighbourInfo> neighbours(int family) {
    List<NeighbourInfo> out = new ArrayList<>();
    MessageBuilder req = MessageBuilder.of(Nl.RTM_GETNEIGH, Nl.F_DUMP).u8(family).u8(0).u16(0).u32(0).u16(0).u8(0).u8(0);
    for (Message m : socket.dump(req, "listing neighbours")) {
      if (m.type() != Nl.RTM_NEWNEIGH) {
        continue;
      }
      Map<Integer, byte[]> a = m.attributes(12);
      byte[] ll = a.get(Nl.NDA_LLADDR);
      byte[] dst = a.get(Nl.NDA_DST);
      byte[] port = a.get(Nl.NDA_PORT);
      out.add(new NeighbourInfo(m.u8(0), m.i32(4),
          dst != null && (dst.length == 4 || dst.length == 16) ? Optional.of(IpAddress.fromBytes(dst)) : Optional.empty(),
          ll != null && ll.length == 6 ? Optional.of(MacAddress.fromBytes(ll)) : Optional.empty(), m.u16(8), m.u8(10),
          port != null && port.length == 2 ? Optional.of(((port[0] & 0xff) << 8) | (port[1] & 0xff)) : Optional.empty()));
    }
    return out;
  }
}
