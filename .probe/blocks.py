import re,sys
for f in sys.argv[1:]:
    lines=open(f).read().split("\n")
    starts=[i for i,l in enumerate(lines) if re.match(r'^(export )?const \w+ = ', l)]
    for n,i in enumerate(starts):
        end=starts[n+1] if n+1<len(starts) else len(lines)
        block="\n".join(lines[i:end])
        name=re.match(r'^(?:export )?const (\w+)',lines[i]).group(1)
        span=re.search(r'Effect\.fn\("([^"]+)"\)|caseCommand\("([^"]+)"',lines[i])
        auth=sorted(set(re.findall(r'authorize\([^,]+, "([^"]+)"',block)))
        tags=sorted(set(re.findall(r'_tag: "([A-Z][A-Za-z]+)"',block)))
        calls=sorted(set(re.findall(r'\b(\w+)\(',block)) & set(re.match(r'^(?:export )?const (\w+)',l).group(1) for l in [lines[j] for j in starts]))
        inp=re.findall(r'decodeInput\("[^"]+", (\w+)\)',block)
        print(f"{name}\t{span.group(1) or span.group(2) if span else '-'}\tauth={auth}\tin={inp}\tev={tags}\tcalls={[c for c in calls if c!=name]}")
