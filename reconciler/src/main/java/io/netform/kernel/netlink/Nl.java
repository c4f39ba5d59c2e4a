package io.netform.kernel.netlink;

/** Netlink and rtnetlink constants (linux/netlink.h, linux/rtnetlink.h, linux/if_link.h). */
public final class Nl {

  private Nl() {}

  // message types
  public static final int NLMSG_ERROR = 2;
  public static final int NLMSG_DONE = 3;
  public static final int RTM_NEWLINK = 16;
  public static final int RTM_DELLINK = 17;
  public static final int RTM_GETLINK = 18;
  public static final int RTM_NEWADDR = 20;
  public static final int RTM_DELADDR = 21;
  public static final int RTM_GETADDR = 22;
  public static final int RTM_NEWROUTE = 24;
  public static final int RTM_DELROUTE = 25;
  public static final int RTM_GETROUTE = 26;
  public static final int RTM_NEWNEIGH = 28;
  public static final int RTM_DELNEIGH = 29;
  public static final int RTM_GETNEIGH = 30;
  public static final int RTM_NEWNSID = 88;
  public static final int RTM_GETNSID = 90;
  public static final int NETNSA_NSID = 1;
  public static final int NETNSA_FD = 3;

  // flags
  public static final int F_REQUEST = 1;
  public static final int F_MULTI = 2;
  public static final int F_ACK = 4;
  public static final int F_DUMP_INTR = 16;
  public static final int F_DUMP = 0x300;
  public static final int F_REPLACE = 0x100;
  public static final int F_EXCL = 0x200;
  public static final int F_CREATE = 0x400;
  public static final int F_APPEND = 0x800;
  public static final int F_ACK_TLVS = 0x200;
  public static final int NLMSGERR_ATTR_MSG = 1;

  // families
  public static final int AF_UNSPEC = 0;
  public static final int AF_INET = 2;
  public static final int AF_BRIDGE = 7;
  public static final int AF_INET6 = 10;

  // link attributes
  public static final int IFLA_ADDRESS = 1;
  public static final int IFLA_IFNAME = 3;
  public static final int IFLA_MTU = 4;
  public static final int IFLA_LINK = 5;
  public static final int IFLA_MASTER = 10;
  public static final int IFLA_LINKINFO = 18;
  public static final int IFLA_IFALIAS = 20;
  public static final int IFLA_NET_NS_FD = 28;
  public static final int IFLA_NUM_TX_QUEUES = 31;
  public static final int IFLA_NUM_RX_QUEUES = 32;
  public static final int IFLA_LINK_NETNSID = 37;
  public static final int IFLA_EXT_MASK = 29;
  /** Per address family data of a link (nested by family); AF_INET6's holds IFLA_INET6_CONF. */
  public static final int IFLA_AF_SPEC = 26;
  /** The interface's IPv6 sysctls: an array of s32 indexed by DEVCONF_* (linux/ipv6.h). */
  public static final int IFLA_INET6_CONF = 2;
  public static final int DEVCONF_DISABLE_IPV6 = 26;
  public static final int RTEXT_FILTER_SKIP_STATS = 1 << 3;
  public static final int IFLA_INFO_KIND = 1;
  public static final int IFLA_INFO_DATA = 2;
  public static final int IFLA_INFO_SLAVE_DATA = 5;
  /** In a bridge's data: multicast snooping on or off (u8). */
  public static final int IFLA_BR_MCAST_SNOOPING = 23;
  /** In a bridge port's slave data: hairpin mode (u8). */
  public static final int IFLA_BRPORT_MODE = 4;
  public static final int VETH_INFO_PEER = 1;
  public static final int IFLA_MACVLAN_MODE = 1;
  public static final int MACVLAN_MODE_BRIDGE = 4;
  public static final int IFLA_VXLAN_ID = 1;
  public static final int IFLA_VXLAN_GROUP = 2;
  public static final int IFLA_VXLAN_LINK = 3;
  public static final int IFLA_VXLAN_LOCAL = 4;
  public static final int IFLA_VXLAN_LEARNING = 7;
  public static final int IFLA_VXLAN_PORT = 15;
  public static final int IFLA_VXLAN_PROXY = 11;
  public static final int IFF_UP = 1;

  // address attributes
  public static final int IFA_ADDRESS = 1;
  public static final int IFA_LOCAL = 2;
  /** ifa_flags: the address is usable at once, without duplicate address detection (IPv6). */
  public static final int IFA_F_NODAD = 0x02;

  // route attributes and values
  public static final int RTA_DST = 1;
  public static final int RTA_OIF = 4;
  public static final int RTA_GATEWAY = 5;
  public static final int RTA_PRIORITY = 6;
  public static final int RTA_TABLE = 15;
  public static final int RT_TABLE_MAIN = 254;
  public static final int RTPROT_KERNEL = 2;
  public static final int RTPROT_BOOT = 3;
  public static final int RTPROT_STATIC = 4;
  public static final int RT_SCOPE_UNIVERSE = 0;
  public static final int RT_SCOPE_LINK = 253;
  public static final int RT_SCOPE_NOWHERE = 255;
  public static final int RTN_UNICAST = 1;
  public static final int RTN_MULTICAST = 5;

  // neighbours
  public static final int NDA_DST = 1;
  public static final int NDA_LLADDR = 2;
  public static final int NDA_PORT = 6;
  public static final int NUD_PERMANENT = 0x80;
  public static final int NTF_SELF = 2;

  public static final int NLA_F_NESTED = 0x8000;
  public static final int HEADER = 16;

  public static int align(int n) {
    return (n + 3) & ~3;
  }
}
