import re,sys,json
probe={}
for line in open('/tmp/cat/probe.txt'):
    parts=line.rstrip("\n").split("\t")
    if len(parts)<4: continue
    name,span,params,ret=parts
    # parse Effect<A, E, R>
    assert ret.startswith("Effect<")
    body=ret[len("Effect<"):-1]
    depth=0; cuts=[]
    for i,ch in enumerate(body):
        if ch in "<({[": depth+=1
        elif ch in ">)}]": depth-=1
        elif ch=="," and depth==0: cuts.append(i)
    E=body[cuts[-2]+1:cuts[-1]].strip()
    errs=[e.strip() for e in E.split("|")]
    out=[]
    for e in errs:
        if e=="PostError": out+= ["InsufficientBalance","NotFound","IdempotencyKeyReused","InvalidInput","StoreUnavailable","Conflict"]
        else: out.append(e)
    order=["InvalidInput","Forbidden","NotFound","AlreadyExists","Conflict","IdempotencyKeyReused","InsufficientBalance","StoreUnavailable"]
    out=sorted(set(out), key=lambda x:(order.index(x) if x in order else 5.5, x))
    probe[name+"@"+span]=(params,out)
f=sys.argv[1]
lines=open(f).read().split("\n")
starts=[i for i,l in enumerate(lines) if re.match(r'^(export )?const \w+ = ', l)]
info={}
for n,i in enumerate(starts):
    end=starts[n+1] if n+1<len(starts) else len(lines)
    block="\n".join(lines[i:end])
    name=re.match(r'^(?:export )?const (\w+)',lines[i]).group(1)
    span=re.search(r'Effect\.fn\("([^"]+)"\)|caseCommand\("([^"]+)"',lines[i])
    auth=sorted(set(re.findall(r'authorize\([^,]+, "([^"]+)"',block)))
    tags=set(re.findall(r'_tag: "([A-Z][A-Za-z]+)"',block))
    calls=set(re.findall(r'\b(\w+)\(',block))
    inp=re.findall(r'decodeInput\("[^"]+", (\w+)\)',block)
    # jsdoc
    j=lines[:i]
    k=i-1
    doc=[]
    while k>=0 and (lines[k].startswith(" *") or lines[k].startswith("/**")):
        doc.insert(0,lines[k]); k-=1
    text=" ".join(l.strip(" */") for l in doc if not l.strip().startswith("* @") and l.strip()!="/**").strip()
    info[name]=dict(span=(span.group(1) or span.group(2)) if span else None, auth=auth, tags=tags, calls=calls, inp=inp, doc=text)
def closure(n, seen=None):
    seen=seen or set()
    if n in seen or n not in info: return set()
    seen.add(n)
    t=set(info[n]['tags'])
    for c in info[n]['calls']:
        if c!=n: t|=closure(c,seen)
    return t
mod=sys.argv[2]
for name,d in info.items():
    if not d['span']: continue
    key=[k for k in probe if k == name+"@"+d["span"]]
    if not key: continue
    params,errs=probe[key[0]]
    ev=sorted(closure(name))
    span=d['span'] if "." in d['span'] else f"{mod}.{d['span']}"
    print(f"// {name}: {params}")
    print(f"// {d['doc'][:300]}")
    print(f"  entry.command({{\n    name: \"{span}\",\n    permission: \"{(d['auth'] or ['?'])[0]}\",\n    title: {{ \"zh-CN\": \"\", en: \"\" }},\n    description: {{ \"zh-CN\": \"\", en: \"\" }},\n    input: {(d['inp'] or ['?'])[0]},\n    result: ?,\n    errors: [{', '.join(errs)}],\n    events: [{', '.join(json.dumps(e) for e in ev)}],\n    command: {name}\n  }}),")
