package org.huisclos.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time, resident memory, threads and file descriptors of a process, from /proc (Linux). */
final class Proc {
    /** Clock ticks per second of /proc/<pid>/stat (USER_HZ; 100 on Linux x86). */
    static final long HZ = 100;

    private Proc() {
    }

    /** utime + stime of {@code pid}, in nanoseconds; -1 when /proc cannot be read. */
    static long cpuNanos(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // fields after "pid (comm) ": state is f[0]; utime is field 14 overall → f[11], stime f[12]
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * (1_000_000_000L / HZ);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** VmRSS of {@code pid} in kB; -1 when unknown. */
    static long rssKb(long pid) {
        return status(pid, "VmRSS:");
    }

    /** The number of threads of {@code pid}; -1 when unknown. */
    static long threads(long pid) {
        return status(pid, "Threads:");
    }

    /** The number of open file descriptors of {@code pid} (entries of /proc/pid/fd); -1 when unknown. */
    static long fds(long pid) {
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The names of {@code pid}'s threads (/proc/pid/task/N/comm, 15 characters at most) with their counts. */
    static java.util.SortedMap<String, Integer> threadNames(long pid) {
        java.util.SortedMap<String, Integer> names = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    names.merge(Files.readString(t.resolve("comm")).trim(), 1, Integer::sum);
                } catch (IOException e) {
                    // ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return names;
    }

    /** The number of CPUs of this machine (not only those this process may run on). */
    static int machineCpus() {
        try {
            return (int) Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor")).count();
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** The number on the line of /proc/pid/status that starts with {@code key}; -1 when unknown. */
    private static long status(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }

    /**
     * The kernel's count of UDP datagrams dropped because a socket's receive buffer was full
     * ({@code RcvbufErrors} of /proc/self/net/snmp, for this process's network namespace: the node's
     * and the generator's sockets alike); -1 when unknown.
     */
    static long udpReceiveBufferDrops() {
        try {
            String[] header = null;
            for (String line : Files.readAllLines(Path.of("/proc/self/net/snmp"))) {
                if (!line.startsWith("Udp: ")) {
                    continue;
                }
                String[] f = line.substring(5).trim().split("\\s+");
                if (header == null) {
                    header = f;
                } else {
                    for (int i = 0; i < header.length && i < f.length; i++) {
                        if (header[i].equals("RcvbufErrors")) {
                            return Long.parseLong(f[i]);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }
}
