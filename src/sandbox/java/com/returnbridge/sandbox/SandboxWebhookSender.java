package com.returnbridge.sandbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the simulated vendors' webhooks the way the real ones do: signed over the exact bytes sent,
 * asynchronously, retried on failure (5 retries), possibly duplicated or dropped when a test asks for it.
 */
public final class SandboxWebhookSender implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SandboxWebhookSender.class);
    private static final int RETRIES = 5;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "sandbox-webhooks");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.ScheduledExecutorService delays =
            Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sandbox-webhook-delays");
                t.setDaemon(true);
                return t;
            });
    private final Duration firstRetryDelay;
    private volatile long maxDelayMillis;
    private volatile double dropRate;
    private volatile int minCopies = 1;
    private volatile int maxCopies = 1;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    public SandboxWebhookSender(Duration firstRetryDelay) {
        this.firstRetryDelay = firstRetryDelay;
    }

    /** Delivery faults: drop this share of webhooks entirely, and send each kept one 1..maxCopies times. */
    public void deliveryFaults(double dropRate, int maxCopies) {
        deliveryFaults(dropRate, 1, maxCopies);
    }

    /** As above, each kept webhook sent between minCopies and maxCopies times, the copies racing each other. */
    public void deliveryFaults(double dropRate, int minCopies, int maxCopies) {
        this.dropRate = dropRate;
        this.minCopies = Math.max(1, minCopies);
        this.maxCopies = Math.max(this.minCopies, maxCopies);
    }

    /** Reordering: every copy of every webhook leaves after a random delay of up to this long. */
    public void reorder(Duration maxDelay) {
        this.maxDelayMillis = Math.max(0, maxDelay.toMillis());
    }

    public void clearDeliveryFaults() {
        deliveryFaults(0, 1, 1);
        reorder(Duration.ZERO);
    }

    public long sentCount() {
        return sent.get();
    }

    public long droppedCount() {
        return dropped.get();
    }

    /** Told the outcome of every attempt (retries too); answers whether the vendor still tries this subscription. */
    @FunctionalInterface
    public interface Attempts {
        boolean afterAttempt(boolean delivered);
    }

    /**
     * Sends {@code body} to {@code url}, signed with base64(HMAC-SHA256(secret, body)) in {@code signatureHeader}.
     */
    public void send(String url, String signatureHeader, String secret, byte[] body, Map<String, String> headers) {
        send(url, signatureHeader, secret, body, headers, delivered -> true);
    }

    /** As above; {@code attempts} hears each attempt and can stop the retries (a vendor that disabled the webhook). */
    public void send(String url, String signatureHeader, String secret, byte[] body, Map<String, String> headers,
                     Attempts attempts) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (dropRate > 0 && random.nextDouble() < dropRate) {
            dropped.incrementAndGet();
            return;
        }
        int copies = minCopies + (maxCopies > minCopies ? random.nextInt(maxCopies - minCopies + 1) : 0);
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(signatureHeader, sign(secret, body));
        for (int i = 0; i < copies; i++) {
            long delayMs = copies == 1 ? 0 : random.nextLong(0, 200);
            long reorderMs = maxDelayMillis > 0 ? random.nextLong(0, maxDelayMillis + 1) : 0;
            if (reorderMs > 0) {
                delays.schedule(() -> executor.submit(() -> deliver(url, body, all, delayMs, attempts)), reorderMs,
                        TimeUnit.MILLISECONDS);
            } else {
                executor.submit(() -> deliver(url, body, all, delayMs, attempts));
            }
        }
    }

    /** The vendors' scheme, the one the service verifies: base64(HMAC-SHA256(secret, body)). */
    public static String sign(String secret, byte[] body) {
        return com.returnbridge.vendor.Signatures.sign(secret, body);
    }

    private void deliver(String url, byte[] body, Map<String, String> headers, long initialDelayMs,
                         Attempts attempts) {
        sleep(initialDelayMs);
        Duration wait = firstRetryDelay;
        for (int attempt = 0; attempt <= RETRIES; attempt++) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                headers.forEach(request::header);
                HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() / 100 == 2) {
                    sent.incrementAndGet();
                    attempts.afterAttempt(true);
                    return;
                }
                log.debug("sandbox webhook to {} answered {}", url, response.statusCode());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                log.debug("sandbox webhook to {} failed: {}", url, e.toString());
            }
            if (!attempts.afterAttempt(false)) {
                log.warn("sandbox webhook to {} stopped: the subscription is disabled or gone", url);
                return;
            }
            sleep(wait.toMillis());
            wait = wait.multipliedBy(2);
        }
        log.warn("sandbox webhook to {} given up after {} retries", url, RETRIES);
    }

    private static void sleep(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        delays.shutdownNow();
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
