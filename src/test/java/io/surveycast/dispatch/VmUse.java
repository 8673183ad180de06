package io.surveycast.dispatch;

import java.lang.management.ManagementFactory;

/**
 * What the JVM spent between two snapshots besides the application threads' own CPU: bytes
 * allocated by all live threads, garbage collections (count and time) and JIT compilation time.
 * Used by {@link DispatchBenchmark} to split "VM threads" per email.
 */
record VmUse(long allocatedBytes, long gcCount, long gcMillis, long jitMillis, long classesLoaded) {
    static VmUse now() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = 0;
        for (long id : threads.getAllThreadIds()) {
            long bytes = threads.getThreadAllocatedBytes(id);
            if (bytes > 0) {
                allocated += bytes;
            }
        }
        long count = 0;
        long millis = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        var jit = ManagementFactory.getCompilationMXBean();
        return new VmUse(allocated, count, millis, jit == null ? 0 : jit.getTotalCompilationTime(),
                ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
    }

    String perEmail(VmUse before, int n) {
        return "allocated %.1f KiB per email, %d GCs (%d ms), JIT %d ms, %d classes loaded".formatted(
                (allocatedBytes - before.allocatedBytes) / 1024.0 / n, gcCount - before.gcCount,
                gcMillis - before.gcMillis, jitMillis - before.jitMillis, classesLoaded - before.classesLoaded);
    }
}
