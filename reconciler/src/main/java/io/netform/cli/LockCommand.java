package io.netform.cli;

import io.netform.desired.OverlayLock;
import io.netform.desired.load.LockFile;
import io.netform.desired.write.LockYaml;
import io.netform.fleet.FleetAllocator;
import io.netform.util.AtomicFiles;
import io.netform.validate.DesiredStateCheck;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "lock", mixinStandardHelpOptions = true,
    description = {"Write netform.lock next to the desired state: the overlay allocation (subnets, VXLAN ids, "
        + "addresses, MACs) that every host then uses, so that adding a container renumbers none of the others.",
        "Commit it with the desired state; 'netform validate --locked' fails in CI while it is stale. Needs no root."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:written (or nothing to lock)", "1:invalid desired state, or the lock could not be written"})
final class LockCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "The desired state: files or a directory; the lock "
      + "goes into the directory given, or the directory of the first file.")
  List<Path> paths;

  @Mixin
  ColorOption color;

  @Override
  public Integer call() {
    DesiredStateCheck.Checked checked = DesiredStateCheck.run(paths);
    if (!checked.valid()) {
      return Refusal.print(checked.diagnostics(), checked, color.style(), "no lock written");
    }
    OverlayLock allocation = FleetAllocator.allocate(checked.state()).allocation();
    Path file = LockFile.near(paths);
    if (allocation.networks().isEmpty()) {
      System.out.println("No overlay networks: nothing to lock" + (java.nio.file.Files.exists(file)
          ? "; " + file + " is not needed any more and can be deleted." : "."));
      return ExitCodes.OK;
    }
    Map<String, OverlayLock.LockedNetwork> before = checked.state().fleet().lock().map(OverlayLock::networks).orElse(Map.of());
    OutputFile.save("the lock", file, "PATH", () -> AtomicFiles.write(file, LockYaml.write(allocation)));
    int endpoints = allocation.networks().values().stream().mapToInt(n -> n.endpoints().size()).sum();
    long added = 0;
    long changed = 0; // locked endpoints given other values (their network's subnet changed, say)
    for (var e : allocation.networks().entrySet()) {
      Map<String, OverlayLock.LockedEndpoint> was = before.containsKey(e.getKey())
          ? before.get(e.getKey()).endpoints() : Map.of();
      for (var endpoint : e.getValue().endpoints().entrySet()) {
        OverlayLock.LockedEndpoint old = was.get(endpoint.getKey());
        added += old == null ? 1 : 0;
        changed += old != null && !old.equals(endpoint.getValue()) ? 1 : 0;
      }
    }
    System.out.println((allocation.networks().equals(before) ? "Unchanged: " : "Wrote ") + file + ": "
        + allocation.networks().size() + " overlay network" + (allocation.networks().size() == 1 ? "" : "s") + ", "
        + endpoints + " endpoint" + (endpoints == 1 ? "" : "s") + " (" + added + " new"
        + (changed > 0 ? ", " + changed + " changed" : "") + "). Commit it with the desired state.");
    return ExitCodes.OK;
  }
}
