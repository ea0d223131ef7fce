package io.veza.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/** A real single-node Kafka broker (KRaft) inside the test JVM, shared by every test of that JVM. */
public final class RealKafka {
    private static String bootstrap;

    private RealKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrap == null) {
            try {
                bootstrap = startOn(freePort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bootstrap;
    }

    /** Another broker on a given port: for tests where Kafka is down first and comes up later. */
    public static String startOn(int port) {
        try {
            int controllerPort = freePort();
            Path dir = Files.createTempDirectory("kafka-");
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            props.put("controller.listener.names", "CONTROLLER");
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("log.dirs", dir.resolve("data").toString());
            props.put("num.partitions", "3");
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "3");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("group.initial.rebalance.delay.ms", "0");
            props.put("auto.create.topics.enable", "true");
            Path config = dir.resolve("server.properties");
            try (var out = Files.newOutputStream(config)) {
                props.store(out, null);
            }
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            StorageTool.execute(new String[] {"format", "-t", UUID.randomUUID().toString().replace("-", "").substring(0, 22),
                    "-c", config.toString()}, new PrintStream(log));
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            server.startup();
            Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
            return "127.0.0.1:" + port;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not start", e);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
