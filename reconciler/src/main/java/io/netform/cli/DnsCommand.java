package io.netform.cli;

import io.netform.dns.NameService;
import io.netform.names.NameScope;
import io.netform.util.IoReasons;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "dns", mixinStandardHelpOptions = true,
    description = {"Serve names to the containers of this host: the embedded DNS at " + NameScope.SERVER_ADDRESS
        + ":53 (UDP and TCP) inside every container namespace on a network with names, as Docker's (docs/dns.md).",
        "Runs in the foreground until stopped (a systemd unit: examples/systemd/netform-dns.service), following "
            + "what each apply records without a restart. The agent serves names itself: run this only on hosts "
            + "that apply by hand. Needs root."})
final class DnsCommand implements Callable<Integer> {

  @Mixin
  HostAccess access;

  @Override
  public Integer call() throws Exception {
    if (access.sandbox) {
      // A sandbox of its own would be empty, and no other command could apply to it.
      throw new UserError("dns --sandbox would serve an empty sandbox: apply --sandbox shows which names each "
          + "container resolves");
    }
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    try (HostAccess.Opened opened = access.open();
         NameService names = start(opened)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        stop.countDown();
        try {
          stopped.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "netform-dns-stop"));
      System.err.println("netform dns: serving names from " + opened.host().state().nameRecords() + " in the namespaces of "
          + opened.host().namespaces().dir() + "; forwarding other names as " + opened.host().names().hostResolvConf()
          + " says");
      stop.await();
      System.err.println("netform dns: stopping");
      return ExitCodes.OK;
    } finally {
      stopped.countDown();
    }
  }

  private static NameService start(HostAccess.Opened opened) {
    try {
      return NameService.start(opened.host());
    } catch (IOException e) {
      throw new UserError("cannot start the name server: " + IoReasons.describe(e)
          + "; run it as root, and give the --state-dir that apply uses (it must exist or be creatable)");
    }
  }
}
