# The Vagrantfile's view of a kbootstrap inventory: one machine per node with its name, role,
# private-network address, CPUs and memory, plus the box per provider. Plain Ruby (yaml, json), no
# Vagrant: `ruby vagrant/inventory.rb [inventory]` prints it as JSON, which the agreement test compares
# with kbootstrap's own reading of the same file.
#
# Defaults here must match the `vagrant:` block of src/inventory/schema.ts (the agreement test checks).
require 'json'
require 'psych'

module KbootstrapVagrant
  DEFAULT_INVENTORY = File.expand_path('../inventories/vagrant.yaml', __dir__)
  INVENTORY_ENV = 'KBOOTSTRAP_INVENTORY'
  DEFAULT_BOX = 'debian/bookworm64'
  DEFAULT_SIZE = { 'server' => { 'cpus' => 2, 'memory' => 2048 }, 'agent' => { 'cpus' => 2, 'memory' => 1536 } }.freeze
  IPV4 = /\A(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\z/
  PROVIDERS = %w[libvirt virtualbox].freeze
  ROLES = %w[server agent].freeze

  class InventoryError < StandardError; end

  Machine = Struct.new(:name, :role, :ip, :cpus, :memory, keyword_init: true)
  Inventory = Struct.new(:file, :machines, :boxes, keyword_init: true)

  # The inventory file: $KBOOTSTRAP_INVENTORY (relative to the current directory) or inventories/vagrant.yaml.
  def self.inventory_path(env = ENV)
    given = env[INVENTORY_ENV]
    given.nil? || given.empty? ? DEFAULT_INVENTORY : File.expand_path(given)
  end

  def self.load(file)
    raise InventoryError, "#{file}: no such inventory (set #{INVENTORY_ENV} to another one)" unless File.file?(file)
    text = File.read(file)
    begin
      data = Psych.safe_load(text, aliases: true, filename: file)
    rescue Psych::SyntaxError => e
      raise InventoryError, "#{file}:#{e.line}: #{e.problem}"
    end
    lines = node_lines(text)
    raise InventoryError, "#{file}: not an inventory (a mapping with `nodes`)" unless data.is_a?(Hash) && data['nodes'].is_a?(Array)

    settings = data['vagrant'] || {}
    raise InventoryError, "#{file}: vagrant: must be a mapping" unless settings.is_a?(Hash)
    boxes = PROVIDERS.to_h { |p| [p, (settings['boxes'] || {})[p] || DEFAULT_BOX] }
    machines = data['nodes'].each_with_index.map { |node, i| machine(node, i, settings, "#{file}:#{lines[i] || 1}") }
    duplicates(machines, file)
    Inventory.new(file: file, machines: machines, boxes: boxes)
  end

  def self.machine(node, index, settings, where)
    raise InventoryError, "#{where}: nodes[#{index}] must be a mapping" unless node.is_a?(Hash)
    name = node['name'].to_s
    role = node['role'] || 'agent'
    address = node['address'].to_s
    raise InventoryError, "#{where}: nodes[#{index}] has no name" if name.empty?
    raise InventoryError, "#{where}: node #{name}: role must be server or agent, not #{role}" unless ROLES.include?(role)
    unless IPV4.match?(address)
      raise InventoryError, "#{where}: node #{name}: address #{address.inspect} must be an IPv4 address: it becomes the VM's private-network address"
    end
    if node.key?('staticIp')
      raise InventoryError, "#{where}: node #{name}: staticIp is not for Vagrant nodes: Vagrant gives each VM its private address (the node's address)"
    end
    size = DEFAULT_SIZE[role].merge(settings[role] || {})
    Machine.new(name: name, role: role, ip: address, cpus: Integer(size['cpus']), memory: Integer(size['memory']))
  end

  def self.duplicates(machines, file)
    %i[name ip].each do |key|
      seen = machines.group_by(&key).select { |_, ms| ms.size > 1 }
      seen.each { |value, ms| raise InventoryError, "#{file}: nodes #{ms.map(&:name).join(', ')} share the #{key} #{value}" }
    end
  end

  # 1-based line of each entry of `nodes`, for error messages.
  def self.node_lines(text)
    root = Psych.parse(text)&.root
    return [] unless root.is_a?(Psych::Nodes::Mapping)
    root.children.each_slice(2) do |key, value|
      next unless key.respond_to?(:value) && key.value == 'nodes' && value.is_a?(Psych::Nodes::Sequence)
      return value.children.map { |n| n.start_line + 1 }
    end
    []
  rescue Psych::SyntaxError
    []
  end

  def self.to_h(inv)
    { 'file' => inv.file, 'boxes' => inv.boxes, 'machines' => inv.machines.map(&:to_h).map { |m| m.transform_keys(&:to_s) } }
  end
end

if $PROGRAM_NAME == __FILE__
  begin
    file = ARGV[0] ? File.expand_path(ARGV[0]) : KbootstrapVagrant.inventory_path
    puts JSON.generate(KbootstrapVagrant.to_h(KbootstrapVagrant.load(file)))
  rescue KbootstrapVagrant::InventoryError => e
    warn "error: #{e.message}"
    exit 1
  end
end
