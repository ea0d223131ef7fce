import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Prints every message of a WebSocket, one per line, until it closes: ./veza events [user]. */
public class WsTail {
    public static void main(String[] args) throws Exception {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(args[0]), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    System.out.println(partial);
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                System.err.println("closed: " + code + " " + reason);
                closed.complete(null);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                System.err.println("error: " + error);
                closed.complete(null);
            }
        }).join();
        System.err.println("connected to " + args[0].replaceAll("token=[^&]*", "token=..."));
        closed.join();
    }
}
