package dev.resilience.sample.simulation;

import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The flaky dependencies themselves: two LLM-style answer providers, an inventory service and a mail service, each failing
 * with 503 at its configured rate after its configured latency. Change them while the app runs:
 * {@code POST /sim/primary {"failureRate": 1.0, "latency": "200ms"}}.
 */
@RestController
@RequestMapping("/sim")
public class SimulationController {

    private static final Map<String, Integer> STOCK = Map.of("apple", 12, "pear", 0, "plum", 40);

    private final SimulatedDependencies dependencies;
    private final SimulatedMailbox mailbox;

    public SimulationController(SimulatedDependencies dependencies, SimulatedMailbox mailbox) {
        this.dependencies = dependencies;
        this.mailbox = mailbox;
    }

    @GetMapping
    public Map<String, DependencySettings> settings() {
        return dependencies.all();
    }

    /** Changes a dependency's behaviour; fields left out keep their value. */
    @PostMapping("/{name}")
    public ResponseEntity<Object> change(@PathVariable String name, @RequestBody Map<String, Object> body) {
        DependencySettings current = dependencies.get(name);
        if (current == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no dependency named " + name
                    + "; known: " + SimulatedDependencies.NAMES));
        }
        try {
            double failureRate = body.containsKey("failureRate")
                    ? Double.parseDouble(body.get("failureRate").toString()) : current.failureRate();
            Duration latency = body.containsKey("latency")
                    ? org.springframework.boot.convert.DurationStyle.detectAndParse(body.get("latency").toString())
                    : current.latency();
            DependencySettings changed = new DependencySettings(failureRate, latency);
            dependencies.set(name, changed);
            return ResponseEntity.ok(changed);
        } catch (IllegalArgumentException ex) {
            return ResponseEntity.badRequest().body(Map.of("error", ex.getMessage()));
        }
    }

    @PostMapping("/reset")
    public Map<String, DependencySettings> reset() {
        dependencies.reset();
        return dependencies.all();
    }

    /** Requests of the application (not health checks) that reached each dependency. */
    @GetMapping("/requests")
    public Map<String, Long> requests() {
        return dependencies.requests();
    }

    /**
     * A dependency's own health endpoint, as a real service has one: it answers as the dependency's requests do
     * (after the latency, 503 at the failure rate), which is what the app's probes check.
     */
    @GetMapping("/health/{name}")
    public ResponseEntity<Map<String, String>> health(@PathVariable String name) throws InterruptedException {
        if (!SimulatedDependencies.NAMES.contains(name)) {
            return ResponseEntity.notFound().build();
        }
        return behave(name) ? ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("status", "DOWN"))
                : ResponseEntity.ok(Map.of("status", "UP"));
    }

    @GetMapping("/providers/{provider}/answer")
    public ResponseEntity<Map<String, String>> answer(@PathVariable String provider, @RequestParam String q)
            throws InterruptedException {
        if (!provider.equals("primary") && !provider.equals("secondary")) {
            return ResponseEntity.notFound().build();
        }
        dependencies.countRequest(provider);
        if (behave(provider)) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build();
        }
        return ResponseEntity.ok(Map.of("provider", provider, "answer",
                "(" + provider + ") The answer to '" + q + "' is 42."));
    }

    @GetMapping("/inventory/{sku}")
    public ResponseEntity<Map<String, Object>> stock(@PathVariable String sku) throws InterruptedException {
        dependencies.countRequest("inventory");
        if (behave("inventory")) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build();
        }
        Integer quantity = STOCK.get(sku);
        return quantity == null ? ResponseEntity.notFound().build()
                : ResponseEntity.ok(Map.of("sku", sku, "quantity", quantity));
    }

    /** The mail service: receives a notification ({@code id}, {@code to}, {@code text}), or fails with 503. */
    @PostMapping("/mail/messages")
    public ResponseEntity<Void> mail(@RequestBody Map<String, String> message) throws InterruptedException {
        dependencies.countRequest("mail");
        if (behave("mail")) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build();
        }
        mailbox.receive(message.get("id"), message.get("to"), message.get("text"));
        return ResponseEntity.accepted().build();
    }

    /** What the mail service received since the application started, each message once with its deliveries. */
    @GetMapping("/mail/messages")
    public Map<String, Object> mailbox() {
        return mailbox.summary();
    }

    /** Waits the latency; answers whether this request fails. */
    private boolean behave(String name) throws InterruptedException {
        Duration latency = dependencies.get(name).latency();
        if (!latency.isZero()) {
            Thread.sleep(latency.toMillis());
        }
        return dependencies.failsNow(name);
    }
}
