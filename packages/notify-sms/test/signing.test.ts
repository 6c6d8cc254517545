import { describe, expect, it } from "@effect/vitest"
import { acs3Sign, percentEncode, sha256Hex, tc3Sign, tc3SigningKey, twilioSignature } from "../src/index.js"

describe("Aliyun ACS3-HMAC-SHA256", () => {
  // The fixed-parameter example of Aliyun's "V3 request body & signature" guide.
  const example = acs3Sign({
    method: "POST",
    query: { ImageId: "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd", RegionId: "cn-shanghai" },
    headers: {
      host: "ecs.cn-shanghai.aliyuncs.com",
      "x-acs-action": "RunInstances",
      "x-acs-version": "2014-05-26",
      "x-acs-date": "2023-10-26T10:22:32Z",
      "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
      "x-acs-content-sha256": sha256Hex("")
    },
    body: "",
    accessKeyId: "YourAccessKeyId",
    accessKeySecret: "YourAccessKeySecret"
  })

  it("reproduces the documented canonical request, string to sign and signature", () => {
    expect(example.canonicalRequest).toBe(
      "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n" +
        "host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n" +
        "x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n" +
        "x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n\n" +
        "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n" +
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    expect(example.stringToSign).toBe("ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259")
    expect(example.authorization).toBe(
      "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version," +
        "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
    )
  })

  it("percent-encodes as RFC 3986 (space %20, * %2A, ~ kept, UTF-8 bytes)", () => {
    expect(percentEncode("a b*c~d")).toBe("a%20b%2Ac~d")
    expect(percentEncode("【共治】")).toBe("%E3%80%90%E5%85%B1%E6%B2%BB%E3%80%91")
    expect(percentEncode('{"code":"1"}')).toBe("%7B%22code%22%3A%221%22%7D")
  })
})

describe("Tencent Cloud TC3-HMAC-SHA256", () => {
  // Tencent's published example (DescribeInstances, 1551113065). The document
  // masks its SecretKey, so the canonical request and the string to sign are
  // checked against it; the key chain is checked for its documented order.
  const payload = `{"Limit": 1, "Filters": [{"Values": ["unnamed"], "Name": "instance-name"}]}`
  const signed = tc3Sign({ secretId: "AKIDEXAMPLE", secretKey: "masked", service: "cvm", host: "cvm.tencentcloudapi.com", timestamp: 1551113065, payload })

  it("reproduces the documented canonical request and string to sign", () => {
    expect(sha256Hex(payload)).toBe("99d58dfbc6745f6747f36bfca17dee5e6881dc0428a0a36f96199342bc5b4907")
    expect(signed.canonicalRequest).toBe(
      "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n" +
        "99d58dfbc6745f6747f36bfca17dee5e6881dc0428a0a36f96199342bc5b4907"
    )
    expect(signed.stringToSign).toBe(
      "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n2815843035062fffda5fd6f2a44ea8a34818b0dc46f024b8b3786976a3adda7a"
    )
    expect(signed.authorization).toMatch(
      /^TC3-HMAC-SHA256 Credential=AKIDEXAMPLE\/2019-02-25\/cvm\/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/
    )
  })

  it("derives the key as HMAC(HMAC(HMAC('TC3'+key, date), service), 'tc3_request') and signs the action when asked", async () => {
    const { createHmac } = await import("node:crypto")
    const h = (k: string | Buffer, m: string) => createHmac("sha256", k).update(m).digest()
    expect(tc3SigningKey("k", "2019-02-25", "sms").equals(h(h(h("TC3k", "2019-02-25"), "sms"), "tc3_request"))).toBe(true)
    const withAction = tc3Sign({ secretId: "id", secretKey: "k", service: "sms", host: "sms.tencentcloudapi.com", timestamp: 1551113065, payload: "{}", action: "SendSms" })
    expect(withAction.canonicalRequest).toContain("\nx-tc-action:sendsms\n\ncontent-type;host;x-tc-action\n")
    expect(withAction.signature).toBe(createHmac("sha256", tc3SigningKey("k", "2019-02-25", "sms")).update(withAction.stringToSign).digest("hex"))
  })
})

describe("Twilio X-Twilio-Signature", () => {
  it("reproduces the signature of Twilio's documented example", () => {
    const url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    const params = { CallSid: "CA1234567890ABCDE", Caller: "+14158675309", Digits: "1234", From: "+14158675309", To: "+18005551212" }
    expect(twilioSignature("12345", url, params)).toBe("RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    // parameter order does not matter; any change of a value does
    expect(twilioSignature("12345", url, { To: "+18005551212", From: "+14158675309", Digits: "1234", Caller: "+14158675309", CallSid: "CA1234567890ABCDE" }))
      .toBe("RSOYDt4T1cUTdK1PDd93/VVr8B8=")
    expect(twilioSignature("12345", url, { ...params, Digits: "9999" })).not.toBe("RSOYDt4T1cUTdK1PDd93/VVr8B8=")
  })
})
