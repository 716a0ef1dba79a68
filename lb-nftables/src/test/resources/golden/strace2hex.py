import re,sys,struct
data=b''
for line in open(sys.argv[1]):
    m=re.match(r'\s*\|\s+[0-9a-f]{5}\s+(.{48})',line)
    if m: data+=bytes.fromhex(m.group(1).replace(' ',''))
p=0
while p<len(data):
    l,t,f,s,pid=struct.unpack_from('<IHHII',data,p)
    print(hex(t),hex(f),s, data[p:p+l].hex())
    p+=(l+3)&~3
