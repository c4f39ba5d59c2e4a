package io.netform.kernel.netns;

import io.netform.kernel.ffi.LibC;
import io.netform.kernel.netlink.NetlinkSocket;
import io.netform.kernel.netlink.Rtnl;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where the kernel looks up the name of a link that a request creates straight into another
 * namespace: in that namespace (Linux 6.15 and later), or in the requester's own, where a link of
 * the same name makes the creation fail with EEXIST (a host's eth0 refusing a container's eth0).
 * Found out once per process by trying exactly that between two throwaway namespaces that no one
 * else sees and that die with the probe; anything unexpected counts as the older behaviour.
 */
public final class CreateNameLookup {

  private static volatile Boolean inTarget;

  private CreateNameLookup() {}

  /**
   * Whether a container's veth may be made from its container end (Rtnl.createContainerVeth): into
   * a namespace netform has just made ({@code freshNamespace}: its interfaces start with IPv6 off),
   * under a name the requesting namespace has no link of ({@code nameTakenHere} false) or on a
   * kernel that looks the name up where the link is made. Otherwise it is made from its host end.
   */
  public static boolean fromContainerEnd(boolean freshNamespace, boolean nameTakenHere) {
    return freshNamespace && (!nameTakenHere || inTargetNamespace());
  }

  /** Whether a link created into another namespace may bear a name the requester's namespace has. */
  public static boolean inTargetNamespace() {
    Boolean known = inTarget;
    if (known == null) {
      synchronized (CreateNameLookup.class) {
        if (inTarget == null) {
          inTarget = probe();
        }
        known = inTarget;
      }
    }
    return known;
  }

  private static boolean probe() {
    AtomicBoolean result = new AtomicBoolean(false);
    Thread t = new Thread(() -> result.set(probeOnThisThread()), "netform-probe-link-names");
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return result.get();
  }

  /** On a thread of its own, which ends in a namespace no one else has: both namespaces die with it. */
  private static boolean probeOnThisThread() {
    LibC libc = LibC.get();
    if (libc.unshare(LibC.CLONE_NEWNET) != 0) {
      return false;
    }
    int target = libc.open("/proc/thread-self/ns/net", LibC.O_RDONLY | LibC.O_CLOEXEC);
    if (target < 0) {
      return false;
    }
    try {
      if (libc.unshare(LibC.CLONE_NEWNET) != 0) {
        return false;
      }
      try (NetlinkSocket socket = NetlinkSocket.open()) {
        Rtnl r = new Rtnl(socket);
        r.run(r.createVeth(r.batch(), "probe0", 0, 0, Optional.empty(), false, "probe1", -1, Optional.empty()));
        // As netform makes a container's veth: the end named like a link of here goes into the other namespace.
        r.run(r.createContainerVeth(r.batch(), "probe2", 0, 0, Optional.empty(), false, "probe0", target, Optional.empty()));
        return true;
      } catch (RuntimeException e) { // EEXIST (NetlinkException) on older kernels; anything else: the safe answer
        return false;
      }
    } finally {
      libc.close(target);
    }
  }
}
