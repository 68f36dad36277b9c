#!/bin/sh
# tests/integration/agents-netns.sh up|down TAG DIR: three hosts on this machine for the
# --agents test: network namespaces rfTAGsrv (10.213.0.1, the target), rfTAGa1 and rfTAGa2
# (10.213.0.2 and .3, each with its own sshd), joined by the bridge rfbrTAG (10.213.0.254, so
# that this namespace reaches the agents).  DIR gets the keys, sshd's files and an ssh wrapper
# that logs in with them.  down removes all of it.
set -eu
cmd=$1 tag=$2 dir=$3
br=rfbr$tag
case $cmd in
up)
    ip link add "$br" type bridge
    ip addr add 10.213.0.254/24 dev "$br"
    ip link set "$br" up
    i=0
    for host in srv a1 a2; do
        i=$((i + 1))
        ns=rf$tag$host
        ip netns add "$ns"
        ip link add "v$tag$host" type veth peer name eth0 netns "$ns"
        ip link set "v$tag$host" master "$br" up
        ip -n "$ns" addr add "10.213.0.$i/24" dev eth0
        ip -n "$ns" link set eth0 up
        ip -n "$ns" link set lo up
    done
    ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
    ssh-keygen -q -t ed25519 -N '' -f "$dir/id"
    cp "$dir/id.pub" "$dir/authorized_keys"
    mkdir -p /run/sshd
    i=1
    for host in a1 a2; do
        i=$((i + 1))
        cat >"$dir/sshd-$host.conf" <<EOF
ListenAddress 10.213.0.$i
Port 22
HostKey $dir/host_key
AuthorizedKeysFile $dir/authorized_keys
PidFile $dir/sshd-$host.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
StrictModes no
UsePAM no
EOF
        ip netns exec "rf$tag$host" /usr/sbin/sshd -f "$dir/sshd-$host.conf" -E "$dir/sshd-$host.log"
    done
    cat >"$dir/ssh" <<EOF
#!/bin/sh
exec ssh -i $dir/id -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "\$@"
EOF
    chmod +x "$dir/ssh"
    ;;
down)
    for host in a1 a2; do
        if [ -f "$dir/sshd-$host.pid" ]; then
            kill "$(cat "$dir/sshd-$host.pid")" 2>/dev/null || true
        fi
    done
    for host in srv a1 a2; do
        ip netns del "rf$tag$host" 2>/dev/null || true
    done
    ip link del "$br" 2>/dev/null || true
    ;;
*)
    echo "usage: $0 up|down TAG DIR" >&2
    exit 2
    ;;
esac
