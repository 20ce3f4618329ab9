"""rossim.environment"""
