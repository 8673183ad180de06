package io.surveycast.channel.email;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Jakarta Mail's SMTP write timeout ({@code mail.smtp.writetimeout}), made cheap. Angus arms a
 * timer for every socket write (several per email) and cancels it after; with its own
 * ScheduledThreadPoolExecutor per connection each arming takes a lock, may wake the timer thread,
 * and the cancelled timers stay queued until their deadline: a tenth of the sending CPU. Given as
 * {@code mail.smtp.executor.writetimeout}, this executor only records a deadline in a set, and
 * one watchdog thread looks at the set every {@link #TICK}: a write still blocked past its deadline
 * has its socket closed as Angus asks. A timeout fires up to a tick late, which does not matter for
 * timeouts of tens of seconds. It runs only what Angus schedules this way.
 */
final class CoarseWriteTimeouts extends AbstractExecutorService implements ScheduledExecutorService {
    static final Duration TICK = Duration.ofMillis(250);
    /** One for the process: connections come and go, the watchdog stays. */
    static final CoarseWriteTimeouts SHARED = new CoarseWriteTimeouts();

    private final Set<Timer<?>> armed = ConcurrentHashMap.newKeySet();

    CoarseWriteTimeouts() {
        Thread.ofPlatform().name("smtp-write-timeouts").daemon(true).start(this::watch);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Timer<V> timer = new Timer<>(callable, System.nanoTime() + unit.toNanos(delay));
        armed.add(timer);
        return timer;
    }

    private void watch() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(TICK);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Timer<?> timer : armed) {
                if (now - timer.deadline >= 0) {
                    armed.remove(timer);
                    timer.fire();
                }
            }
        }
    }

    /** Armed until cancelled or fired, whichever comes first. */
    private final class Timer<V> implements ScheduledFuture<V> {
        private static final int ARMED = 0;
        private static final int FIRING = 1;
        private static final int FIRED = 2;
        private static final int CANCELLED = 3;
        private final Callable<V> task;
        final long deadline;
        private final AtomicInteger state = new AtomicInteger(ARMED);
        private final CountDownLatch done = new CountDownLatch(1);
        private V result;
        private Exception failure;

        Timer(Callable<V> task, long deadline) {
            this.task = task;
            this.deadline = deadline;
        }

        void fire() {
            if (!state.compareAndSet(ARMED, FIRING)) {
                return;
            }
            try {
                result = task.call();
            } catch (Exception e) {
                failure = e;
            } finally {
                state.set(FIRED);
                done.countDown();
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (state.compareAndSet(ARMED, CANCELLED)) {
                armed.remove(this);
                done.countDown();
                return true;
            }
            return false;
        }

        @Override
        public boolean isCancelled() {
            return state.get() == CANCELLED;
        }

        @Override
        public boolean isDone() {
            return state.get() >= FIRED;
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            done.await();
            return outcome();
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            if (!done.await(timeout, unit)) {
                throw new TimeoutException();
            }
            return outcome();
        }

        private V outcome() throws ExecutionException {
            if (state.get() == CANCELLED) {
                throw new java.util.concurrent.CancellationException();
            }
            if (failure != null) {
                throw new ExecutionException(failure);
            }
            return result;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return schedule(() -> {
            command.run();
            return null;
        }, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("only one-shot write timeouts");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("only one-shot write timeouts");
    }

    @Override
    public void execute(Runnable command) {
        throw new UnsupportedOperationException("only write timeouts");
    }

    @Override
    public void shutdown() {
        // shared for the process: connections closing do not stop it
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return false;
    }
}
