package com.returnbridge.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/** Bounded, timed load over loopback: an open model at a fixed offered rate, and a closed model at full speed. */
final class BenchLoad {

    /** In-flight cap of the open model: beyond it sends wait, and that wait is counted in the latency. */
    private static final int MAX_IN_FLIGHT = 512;

    record OpenResult(double offeredPerSecond, double achievedPerSecond, int sent, int errors, double p50Ms,
                      double p99Ms, double maxMs) {
    }

    private BenchLoad() {
    }

    static HttpClient client(int threads) {
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-http");
            t.setDaemon(true);
            return t;
        });
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Sends {@code requests} at {@code rate} per second on a fixed schedule; each latency runs from the request's
     * scheduled time (so a stalled server cannot hide its queue) to the response. Waits at most 30 s at the end.
     */
    static OpenResult open(HttpClient http, List<HttpRequest> requests, double rate) throws InterruptedException {
        int n = requests.size();
        long[] latency = new long[n];
        Arrays.fill(latency, -1);
        AtomicInteger errors = new AtomicInteger();
        AtomicLong lastDone = new AtomicLong();
        CountDownLatch done = new CountDownLatch(n);
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long intended = start + i * interval;
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!inFlight.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("server stopped answering");
            }
            int index = i;
            http.sendAsync(requests.get(i), HttpResponse.BodyHandlers.discarding()).whenComplete((response, e) -> {
                long now = System.nanoTime();
                latency[index] = now - intended;
                lastDone.accumulateAndGet(now, Math::max);
                if (e != null || response.statusCode() != 200) {
                    errors.incrementAndGet();
                }
                inFlight.release();
                done.countDown();
            });
        }
        done.await(30, TimeUnit.SECONDS);
        long[] finished = Arrays.stream(latency).filter(l -> l >= 0).sorted().toArray();
        int lost = n - finished.length;
        double elapsed = (Math.max(lastDone.get(), start + 1) - start) / 1e9;
        return new OpenResult(rate, finished.length / elapsed, n, errors.get() + lost, percentileMs(finished, 50),
                percentileMs(finished, 99), finished.length == 0 ? Double.NaN : finished[finished.length - 1] / 1e6);
    }

    /** {@code concurrency} senders back to back for {@code duration}: successful requests per second. */
    static double closed(HttpClient http, IntFunction<HttpRequest> request, int concurrency, Duration duration)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        Thread[] senders = new Thread[concurrency];
        for (int t = 0; t < concurrency; t++) {
            senders[t] = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    try {
                        int status = http.send(request.apply(next.getAndIncrement()),
                                HttpResponse.BodyHandlers.discarding()).statusCode();
                        (status == 200 ? ok : failed).incrementAndGet();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            }, "bench-intake-" + t);
            senders[t].start();
        }
        for (Thread t : senders) {
            t.join();
        }
        if (failed.get() > 0) {
            System.out.println("bench: intake had " + failed.get() + " failed deliveries");
        }
        return ok.get() / ((System.nanoTime() - start) / 1e9);
    }

    static double percentileMs(long[] sortedNanos, double percentile) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(percentile / 100.0 * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, index))] / 1e6;
    }
}
