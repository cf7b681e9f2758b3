package dev.resilience.sample.notifications;

import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/notifications} with {@code {"to": "...", "text": "..."}}: accepted (202) whether the mail service
 * is up or not; if it is down, the notification is delivered once it is back.
 */
@RestController
@RequestMapping("/api/notifications")
public class NotificationController {

    private final NotificationService notifications;

    public NotificationController(NotificationService notifications) {
        this.notifications = notifications;
    }

    @PostMapping
    public ResponseEntity<Map<String, String>> send(@RequestBody Map<String, String> body) {
        String to = body.get("to");
        String text = body.get("text");
        if (to == null || to.isBlank() || text == null) {
            return ResponseEntity.badRequest().body(Map.of("error", "the body needs 'to' and 'text'"));
        }
        Notification notification = new Notification(UUID.randomUUID().toString(), to, text);
        notifications.send(notification);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("id", notification.id(), "status",
                "accepted"));
    }
}
