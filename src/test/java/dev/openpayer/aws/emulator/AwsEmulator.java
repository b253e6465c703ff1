package dev.openpayer.aws.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * An in-process HTTP endpoint speaking the wire protocols of AWS Organizations (JSON 1.1: {@code POST /} with
 * {@code X-Amz-Target: AWSOrganizationsV20161128.<Operation>}) and STS (Query: form-encoded
 * {@code Action=AssumeRole&Version=2011-06-15}, XML answers), so that tests drive the real SDK clients.
 * It keeps a small organisation, records every call, and injects faults (errors, throttling, 5xx) and delays.
 * Shapes and field names follow the AWS API models; timestamps are epoch seconds in JSON.
 */
public final class AwsEmulator implements AutoCloseable {
    public static final String ORGANIZATION_ID = "o-emulator001";
    private static final String TARGET_PREFIX = "AWSOrganizationsV20161128.";
    private static final String STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

    /** One request the emulator received. */
    public record Call(String operation, String authorization, String securityToken, Map<String, Object> json, Map<String, String> form) {}

    /**
     * An error to answer instead of handling a call.
     *
     * @param operation the operation it applies to, or null for any
     * @param reason the {@code Reason} field (HandshakeConstraintViolationException, ConstraintViolationException), or null
     */
    public record Fault(String operation, int status, String type, String reason, String message) {}

    private final HttpServer server;
    private final ExecutorService executor;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final JsonMapper json = JsonMapper.builder().build();
    private final String managementAccountId;
    private volatile Clock clock = Clock.systemUTC();

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Deque<Duration> delays = new ArrayDeque<>();
    private final Map<String, Fault> inviteRefusals = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> handshakes = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> accounts = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> creations = new LinkedHashMap<>();
    private final Map<String, Optional<String>> roles = new ConcurrentHashMap<>();
    private final Set<String> issuedAccessKeys = ConcurrentHashMap.newKeySet();
    private volatile int pageSize = 20;
    private volatile boolean emptyPages;

    private AwsEmulator(String managementAccountId) throws IOException {
        this.managementAccountId = managementAccountId;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts an emulator on a random loopback port, as the management account {@code managementAccountId}. */
    public static AwsEmulator start(String managementAccountId) {
        try {
            return new AwsEmulator(managementAccountId);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the AWS emulator", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void clock(Clock clock) {
        this.clock = clock;
    }

    /** Answers the next {@code times} matching calls with {@code fault}. */
    public synchronized void failNext(int times, Fault fault) {
        for (int i = 0; i < times; i++) {
            faults.add(fault);
        }
    }

    /** The next {@code times} calls of {@code operation} (null: any) are throttled with TooManyRequestsException. */
    public void throttleNext(int times, String operation) {
        failNext(times, new Fault(operation, 400, "TooManyRequestsException", null, "AWS Organizations can't complete your request because another request is already in progress. Try again later."));
    }

    /** The next {@code times} calls of {@code operation} (null: any) fail with a 500 ServiceException. */
    public void serverErrorNext(int times, String operation) {
        failNext(times, new Fault(operation, 500, "ServiceException", null, "AWS Organizations can't complete your request because of an internal service error. Try again later."));
    }

    /** Holds the next {@code times} calls for {@code delay} before answering them. */
    public synchronized void delayNext(int times, Duration delay) {
        for (int i = 0; i < times; i++) {
            delays.add(delay);
        }
    }

    /** Every invitation of {@code accountId} is refused with the given error. */
    public void refuseInvitationsOf(String accountId, String type, String reason) {
        inviteRefusals.put(accountId, new Fault(null, 400, type, reason, "refused by the emulator's rule for " + accountId));
    }

    /** ListHandshakesForOrganization answers at most {@code size} handshakes per page. */
    public void pageSize(int size) {
        this.pageSize = size;
    }

    /** Puts an empty page (carrying a NextToken) between any two pages of handshakes. */
    public void emptyPagesBetween(boolean on) {
        this.emptyPages = on;
    }

    /** A role that exists and trusts the caller; {@code externalId} null: the trust policy has no external-ID condition. */
    public void role(String roleArn, String externalId) {
        roles.put(roleArn, Optional.ofNullable(externalId));
    }

    /** Plays the account owner accepting the invitation. */
    public synchronized void accept(String handshakeId) {
        Map<String, Object> h = handshakes.get(handshakeId);
        h.put("State", "ACCEPTED");
        String account = targetOf(h);
        accounts.put(account, account(account, "INVITED"));
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public long calls(String operation) {
        return calls.stream().filter(c -> c.operation().equals(operation)).count();
    }

    public synchronized int handshakeCount() {
        return handshakes.size();
    }

    public Set<String> issuedAccessKeys() {
        return Set.copyOf(issuedAccessKeys);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String token = exchange.getRequestHeaders().getFirst("X-Amz-Security-Token");
            String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
            if (!"POST".equals(exchange.getRequestMethod()) || !"/".equals(exchange.getRequestURI().getPath())) {
                jsonError(exchange, 404, "UnknownOperationException", "only POST / is served", null);
                return;
            }
            if (target != null && !contentType.startsWith("application/x-amz-json-1.1")) {
                jsonError(exchange, 400, "SerializationException", "expected application/x-amz-json-1.1, not " + contentType, null);
                return;
            }
            if (target == null && !contentType.startsWith("application/x-www-form-urlencoded")) {
                xmlError(exchange, 400, "Sender", "InvalidAction", "expected a form-encoded Query request, not " + contentType);
                return;
            }
            if (target != null) {
                String operation = target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : target;
                @SuppressWarnings("unchecked")
                Map<String, Object> request = body.length == 0 ? Map.of() : json.readValue(body, Map.class);
                calls.add(new Call(operation, authorization, token, request, Map.of()));
                if (!hold()) {
                    return;
                }
                Fault fault = nextFault(operation);
                if (fault != null) {
                    jsonError(exchange, fault.status(), fault.type(), fault.message(), fault.reason());
                    return;
                }
                organizations(exchange, operation, request);
            } else {
                Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
                String operation = form.getOrDefault("Action", "");
                calls.add(new Call(operation, authorization, token, Map.of(), form));
                if (!hold()) {
                    return;
                }
                Fault fault = nextFault(operation);
                if (fault != null) {
                    xmlError(exchange, fault.status(), fault.status() >= 500 ? "Receiver" : "Sender", fault.type(), fault.message());
                    return;
                }
                sts(exchange, operation, form);
            }
        } catch (RuntimeException e) {
            byte[] message = ("{\"__type\":\"InternalFailure\",\"Message\":\"emulator: " + e + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, message.length);
            exchange.getResponseBody().write(message);
        }
    }

    /** Waits out an injected delay; false when the emulator is closing meanwhile. */
    private boolean hold() {
        Duration delay;
        synchronized (this) {
            delay = delays.poll();
        }
        if (delay == null) {
            return true;
        }
        try {
            return !closing.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private synchronized Fault nextFault(String operation) {
        Fault next = faults.peek();
        if (next != null && (next.operation() == null || next.operation().equals(operation))) {
            return faults.poll();
        }
        return null;
    }

    // ---------------------------------------------------------------- Organizations (JSON 1.1)

    private synchronized void organizations(HttpExchange exchange, String operation, Map<String, Object> request) throws IOException {
        switch (operation) {
            case "DescribeOrganization" -> jsonOk(exchange, Map.of("Organization", organization()));
            case "InviteAccountToOrganization" -> invite(exchange, request);
            case "DescribeHandshake" -> {
                Map<String, Object> h = handshakes.get(string(request, "HandshakeId"));
                if (h == null) {
                    jsonError(exchange, 400, "HandshakeNotFoundException", "We can't find a handshake with the HandshakeId that you specified.", null);
                } else {
                    jsonOk(exchange, Map.of("Handshake", h));
                }
            }
            case "ListHandshakesForOrganization" -> list(exchange, request);
            case "CancelHandshake" -> cancel(exchange, request);
            case "DescribeAccount" -> {
                Map<String, Object> a = accounts.get(string(request, "AccountId"));
                if (a == null) {
                    jsonError(exchange, 400, "AccountNotFoundException", "You specified an account that doesn't exist.", null);
                } else {
                    jsonOk(exchange, Map.of("Account", a));
                }
            }
            case "CreateAccount" -> {
                String id = "car-" + random(12);
                Map<String, Object> status = new LinkedHashMap<>();
                status.put("Id", id);
                status.put("AccountName", string(request, "AccountName"));
                status.put("State", "IN_PROGRESS");
                status.put("RequestedTimestamp", epochSeconds(clock.instant()));
                status.put("Email", string(request, "Email"));
                creations.put(id, status);
                jsonOk(exchange, Map.of("CreateAccountStatus", withoutEmail(status)));
            }
            case "DescribeCreateAccountStatus" -> {
                Map<String, Object> status = creations.get(string(request, "CreateAccountRequestId"));
                if (status == null) {
                    jsonError(exchange, 400, "CreateAccountStatusNotFoundException", "We can't find an create account request with the CreateAccountRequestId that you specified.", null);
                    return;
                }
                if ("IN_PROGRESS".equals(status.get("State"))) {
                    String accountId = String.valueOf(ThreadLocalRandom.current().nextLong(100_000_000_000L, 1_000_000_000_000L));
                    Map<String, Object> account = account(accountId, "CREATED");
                    account.put("Email", status.get("Email"));
                    account.put("Name", status.get("AccountName"));
                    accounts.put(accountId, account);
                    status.put("State", "SUCCEEDED");
                    status.put("AccountId", accountId);
                    status.put("CompletedTimestamp", epochSeconds(clock.instant()));
                }
                jsonOk(exchange, Map.of("CreateAccountStatus", withoutEmail(status)));
            }
            default -> jsonError(exchange, 400, "UnknownOperationException", "unknown operation " + operation, null);
        }
    }

    private Map<String, Object> organization() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("Id", ORGANIZATION_ID);
        o.put("Arn", "arn:aws:organizations::" + managementAccountId + ":organization/" + ORGANIZATION_ID);
        o.put("FeatureSet", "ALL");
        o.put("MasterAccountArn", "arn:aws:organizations::" + managementAccountId + ":account/" + ORGANIZATION_ID + "/" + managementAccountId);
        o.put("MasterAccountId", managementAccountId);
        o.put("MasterAccountEmail", "payer@emulator.invalid");
        o.put("AvailablePolicyTypes", List.of());
        return o;
    }

    private void invite(HttpExchange exchange, Map<String, Object> request) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> target = (Map<String, Object>) request.get("Target");
        String id = target == null ? null : (String) target.get("Id");
        String type = target == null ? null : (String) target.get("Type");
        if (id == null || !"ACCOUNT".equals(type) || !id.matches("\\d{12}")) {
            jsonError(exchange, 400, "InvalidInputException", "You provided a value that does not match the required pattern.", "INVALID_PARTY_TYPE_TARGET");
            return;
        }
        Fault refusal = inviteRefusals.get(id);
        if (refusal != null) {
            jsonError(exchange, refusal.status(), refusal.type(), refusal.message(), refusal.reason());
            return;
        }
        if (id.equals(managementAccountId)) {
            jsonError(exchange, 400, "HandshakeConstraintViolationException", "You can't invite the management account.", "SOURCE_AND_TARGET_CANNOT_MATCH");
            return;
        }
        if (accounts.containsKey(id)) {
            jsonError(exchange, 400, "HandshakeConstraintViolationException", "The account is already a member of an organization.", "ALREADY_IN_AN_ORGANIZATION");
            return;
        }
        boolean pending = handshakes.values().stream().anyMatch(h -> id.equals(targetOf(h)) && Set.of("REQUESTED", "OPEN").contains(h.get("State")));
        if (pending) {
            jsonError(exchange, 400, "DuplicateHandshakeException", "A handshake with the same action and target already exists.", null);
            return;
        }
        String handshakeId = "h-" + random(10);
        Instant now = clock.instant();
        List<Map<String, Object>> resources = new ArrayList<>();
        resources.add(Map.of("Value", ORGANIZATION_ID, "Type", "ORGANIZATION", "Resources", List.of(
                Map.of("Value", "payer@emulator.invalid", "Type", "MASTER_EMAIL"),
                Map.of("Value", "Emulated payer", "Type", "MASTER_NAME"),
                Map.of("Value", "ALL", "Type", "ORGANIZATION_FEATURE_SET"))));
        resources.add(Map.of("Value", id, "Type", "ACCOUNT"));
        if (request.get("Notes") != null) {
            resources.add(Map.of("Value", request.get("Notes"), "Type", "NOTES"));
        }
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("Id", handshakeId);
        h.put("Arn", "arn:aws:organizations::" + managementAccountId + ":handshake/" + ORGANIZATION_ID + "/invite/" + handshakeId);
        h.put("Parties", List.of(Map.of("Id", ORGANIZATION_ID, "Type", "ORGANIZATION"), Map.of("Id", id, "Type", "ACCOUNT")));
        h.put("State", "OPEN");
        h.put("RequestedTimestamp", epochSeconds(now));
        h.put("ExpirationTimestamp", epochSeconds(now.plus(Duration.ofDays(15))));
        h.put("Action", "INVITE");
        h.put("Resources", resources);
        handshakes.put(handshakeId, h);
        jsonOk(exchange, Map.of("Handshake", h));
    }

    private void list(HttpExchange exchange, Map<String, Object> request) throws IOException {
        List<Map<String, Object>> all = new ArrayList<>(handshakes.values());
        int size = Math.min(pageSize, request.get("MaxResults") instanceof Number n ? n.intValue() : 20);
        String token = string(request, "NextToken");
        Map<String, Object> response = new LinkedHashMap<>();
        if (token != null && token.endsWith("e")) {
            response.put("Handshakes", List.of());
            response.put("NextToken", token.substring(0, token.length() - 1));
            jsonOk(exchange, response);
            return;
        }
        int offset = token == null ? 0 : Integer.parseInt(token.substring(1));
        int end = Math.min(all.size(), offset + size);
        response.put("Handshakes", all.subList(offset, end));
        if (end < all.size()) {
            response.put("NextToken", "t" + end + (emptyPages ? "e" : ""));
        }
        jsonOk(exchange, response);
    }

    private void cancel(HttpExchange exchange, Map<String, Object> request) throws IOException {
        Map<String, Object> h = handshakes.get(string(request, "HandshakeId"));
        if (h == null) {
            jsonError(exchange, 400, "HandshakeNotFoundException", "We can't find a handshake with the HandshakeId that you specified.", null);
            return;
        }
        Object state = h.get("State");
        if ("CANCELED".equals(state)) {
            jsonError(exchange, 400, "HandshakeAlreadyInStateException", "The specified handshake is already in the requested state.", null);
            return;
        }
        if (!"OPEN".equals(state) && !"REQUESTED".equals(state)) {
            jsonError(exchange, 400, "InvalidHandshakeTransitionException", "You can't perform the operation on the handshake in its current state.", null);
            return;
        }
        h.put("State", "CANCELED");
        jsonOk(exchange, Map.of("Handshake", h));
    }

    private Map<String, Object> account(String accountId, String joinedMethod) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("Id", accountId);
        a.put("Arn", "arn:aws:organizations::" + managementAccountId + ":account/" + ORGANIZATION_ID + "/" + accountId);
        a.put("Email", "aws+" + accountId + "@emulator.invalid");
        a.put("Name", "Account " + accountId);
        a.put("Status", "ACTIVE");
        a.put("State", "ACTIVE");
        a.put("JoinedMethod", joinedMethod);
        a.put("JoinedTimestamp", epochSeconds(clock.instant()));
        return a;
    }

    @SuppressWarnings("unchecked")
    private static String targetOf(Map<String, Object> handshake) {
        return ((List<Map<String, Object>>) handshake.get("Parties")).stream()
                .filter(p -> "ACCOUNT".equals(p.get("Type")))
                .map(p -> (String) p.get("Id"))
                .findFirst()
                .orElse(null);
    }

    private static Map<String, Object> withoutEmail(Map<String, Object> status) {
        Map<String, Object> copy = new LinkedHashMap<>(status);
        copy.remove("Email");
        return copy;
    }

    private static String string(Map<String, Object> request, String key) {
        Object value = request.get(key);
        return value == null ? null : value.toString();
    }

    private static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }

    private void jsonOk(HttpExchange exchange, Object body) throws IOException {
        send(exchange, 200, "application/x-amz-json-1.1", json.writeValueAsBytes(body));
    }

    private void jsonError(HttpExchange exchange, int status, String type, String message, String reason) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("__type", type);
        body.put("Message", message);
        if (reason != null) {
            body.put("Reason", reason);
        }
        send(exchange, status, "application/x-amz-json-1.1", json.writeValueAsBytes(body));
    }

    // ---------------------------------------------------------------- STS (Query protocol)

    private void sts(HttpExchange exchange, String operation, Map<String, String> form) throws IOException {
        if (!"AssumeRole".equals(operation) || !"2011-06-15".equals(form.get("Version"))) {
            xmlError(exchange, 400, "Sender", "InvalidAction", "Could not find operation " + operation + " for version " + form.get("Version"));
            return;
        }
        String roleArn = form.get("RoleArn");
        String session = form.get("RoleSessionName");
        Optional<String> required = roles.get(roleArn);
        boolean allowed = required != null && (required.isEmpty() || required.get().equals(form.get("ExternalId")));
        if (!allowed) {
            xmlError(exchange, 403, "Sender", "AccessDenied", "User: arn:aws:iam::" + managementAccountId
                    + ":user/openpayer is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
            return;
        }
        String account = roleArn.split(":")[4];
        String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
        String accessKey = "ASIA" + random(16).toUpperCase();
        issuedAccessKeys.add(accessKey);
        int duration = form.containsKey("DurationSeconds") ? Integer.parseInt(form.get("DurationSeconds")) : 3600;
        String xml = "<AssumeRoleResponse xmlns=\"" + STS_NAMESPACE + "\">\n"
                + "  <AssumeRoleResult>\n"
                + "    <Credentials>\n"
                + "      <AccessKeyId>" + accessKey + "</AccessKeyId>\n"
                + "      <SecretAccessKey>" + random(40) + "</SecretAccessKey>\n"
                + "      <SessionToken>" + "FwoGZXIvYXdzE" + random(60) + "</SessionToken>\n"
                + "      <Expiration>" + clock.instant().plusSeconds(duration) + "</Expiration>\n"
                + "    </Credentials>\n"
                + "    <AssumedRoleUser>\n"
                + "      <AssumedRoleId>AROA" + random(17).toUpperCase() + ":" + escape(session) + "</AssumedRoleId>\n"
                + "      <Arn>arn:aws:sts::" + account + ":assumed-role/" + escape(roleName) + "/" + escape(session) + "</Arn>\n"
                + "    </AssumedRoleUser>\n"
                + "  </AssumeRoleResult>\n"
                + "  <ResponseMetadata><RequestId>" + java.util.UUID.randomUUID() + "</RequestId></ResponseMetadata>\n"
                + "</AssumeRoleResponse>\n";
        send(exchange, 200, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
    }

    private void xmlError(HttpExchange exchange, int status, String type, String code, String message) throws IOException {
        String xml = "<ErrorResponse xmlns=\"" + STS_NAMESPACE + "\">\n"
                + "  <Error><Type>" + type + "</Type><Code>" + escape(code) + "</Code><Message>" + escape(message) + "</Message></Error>\n"
                + "  <RequestId>" + java.util.UUID.randomUUID() + "</RequestId>\n"
                + "</ErrorResponse>\n";
        send(exchange, status, "text/xml", xml.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(key, value);
        }
        return form;
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String random(int length) {
        String alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
